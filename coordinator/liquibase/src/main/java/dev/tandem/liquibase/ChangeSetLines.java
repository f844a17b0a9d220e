package dev.tandem.liquibase;

import java.util.regex.Pattern;

/**
 * Where a changeset starts in its file, for findings: Liquibase's parsed changesets do not keep their line.
 * Found by its id as each format writes it; 0 (the whole file) when the text does not show it that way.
 */
final class ChangeSetLines {
    private ChangeSetLines() {
    }

    static int of(String text, String id) {
        String quoted = Pattern.quote(id);
        Pattern start = Pattern.compile("(\\bid\\s*=\\s*[\"']" + quoted + "[\"'])" // XML
                + "|(\\bid\\s*:\\s*[\"']?" + quoted + "[\"']?\\s*,?\\s*$)" // YAML
                + "|(\"id\"\\s*:\\s*\"" + quoted + "\")" // JSON
                + "|(^\\s*--\\s*changeset\\s+[^:\\s]+:" + quoted + "(\\s|$))"); // formatted SQL
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (start.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return 0;
    }
}
