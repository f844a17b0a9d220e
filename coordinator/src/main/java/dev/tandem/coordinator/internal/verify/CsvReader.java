package dev.tandem.coordinator.internal.verify;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV as PostgreSQL's COPY ... CSV writes it: quoted fields may hold commas, newlines and "" quotes. */
final class CsvReader {
    @FunctionalInterface
    interface RowHandler {
        /** {@code line}: 1-based line the row starts on. */
        void row(int line, List<String> fields);
    }

    private CsvReader() {
    }

    static void read(String text, RowHandler handler) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean rowStarted = false;
        int line = 1;
        int rowLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                rowStarted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                rowStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (rowStarted || field.length() > 0) {
                    fields.add(field.toString());
                    handler.row(rowLine, List.copyOf(fields));
                }
                fields.clear();
                field.setLength(0);
                rowStarted = false;
                line++;
                rowLine = line;
            } else {
                field.append(c);
                rowStarted = true;
            }
        }
        if (rowStarted || field.length() > 0) {
            fields.add(field.toString());
            handler.row(rowLine, List.copyOf(fields));
        }
    }
}
