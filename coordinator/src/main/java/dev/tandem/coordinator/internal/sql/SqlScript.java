package dev.tandem.coordinator.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements with a small lexer: comments are dropped, strings, quoted identifiers and
 * dollar-quoted bodies are kept whole, so a ';' inside them never ends a statement. No grammar: rules read
 * the token sequence.
 */
public final class SqlScript {
    private SqlScript() {
    }

    /** The statements of {@code text}; {@code firstLine} is the line number of the text's first line. */
    public static List<SqlStatement> split(String text, int firstLine) {
        List<SqlStatement> statements = new ArrayList<>();
        List<SqlStatement.Token> tokens = new ArrayList<>();
        int line = firstLine;
        int start = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int from = i;
            int fromLine = line;
            if (c == '\n') {
                line++;
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '-' && next(text, i) == '-') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && next(text, i) == '*') {
                i = endOfBlockComment(text, i);
            } else if (c == '\'' || (c == 'E' || c == 'e') && next(text, i) == '\'') {
                i = endOfQuoted(text, c == '\'' ? i + 1 : i + 2, '\'', c != '\'');
                tokens.add(new SqlStatement.Token(SqlStatement.Kind.STRING, text.substring(from, i), fromLine));
            } else if (c == '"') {
                i = endOfQuoted(text, i + 1, '"', false);
                tokens.add(new SqlStatement.Token(SqlStatement.Kind.QUOTED, text.substring(from, i), fromLine));
            } else if (c == '$' && dollarTag(text, i) != null) {
                String tag = dollarTag(text, i);
                int end = text.indexOf(tag, i + tag.length());
                i = end < 0 ? n : end + tag.length();
                tokens.add(new SqlStatement.Token(SqlStatement.Kind.STRING, text.substring(from, i), fromLine));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new SqlStatement.Token(SqlStatement.Kind.WORD, text.substring(from, i), fromLine));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new SqlStatement.Token(SqlStatement.Kind.NUMBER, text.substring(from, i), fromLine));
            } else if (c == ';') {
                add(statements, text.substring(start, i), tokens);
                tokens = new ArrayList<>();
                start = ++i;
            } else {
                tokens.add(new SqlStatement.Token(SqlStatement.Kind.SYMBOL, String.valueOf(c), fromLine));
                i++;
            }
            line += count(text, from, i);
        }
        add(statements, text.substring(start), tokens);
        return statements;
    }

    private static void add(List<SqlStatement> statements, String text, List<SqlStatement.Token> tokens) {
        if (!tokens.isEmpty()) {
            statements.add(new SqlStatement(text.strip(), tokens));
        }
    }

    private static char next(String text, int i) {
        return i + 1 < text.length() ? text.charAt(i + 1) : 0;
    }

    private static int count(String text, int from, int to) {
        int lines = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /** PostgreSQL block comments nest. */
    private static int endOfBlockComment(String text, int i) {
        int depth = 0;
        int n = text.length();
        while (i < n) {
            if (text.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (text.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** {@code $tag$} or {@code $$} at {@code i}, or null ({@code $1} is a parameter). */
    private static String dollarTag(String text, int i) {
        int j = i + 1;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
            j++;
        }
        if (j >= text.length() || text.charAt(j) != '$' || (j > i + 1 && Character.isDigit(text.charAt(i + 1)))) {
            return null;
        }
        return text.substring(i, j + 1);
    }

    private static int endOfQuoted(String text, int i, char quote, boolean backslashEscapes) {
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote && next(text, i) == quote) {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return n;
    }
}
