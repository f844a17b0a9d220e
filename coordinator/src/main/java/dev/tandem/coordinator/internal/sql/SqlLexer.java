package dev.tandem.coordinator.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one SQL lexer, in two modes. Every character of the text lands in exactly one token (spaces and comments
 * included), so the tokens' texts put back together give the text again.
 * <ul>
 *   <li>{@link #expression}: a user-written expression that Tandem places inside its own statements. Anything
 *       that could make the text stand elsewhere than where the lexer saw it is refused: comments, {@code $}
 *       (dollar quotes, parameters), backslashes outside strings, unterminated strings and quoted identifiers,
 *       empty quoted identifiers.</li>
 *   <li>{@link #script}: SQL as the database reads it, for the verify rules. Comments (block comments nest, as in
 *       PostgreSQL) and dollar-quoted bodies are tokens of their own, an unterminated quote runs to the end.</li>
 * </ul>
 */
public final class SqlLexer {
    public enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL, SPACE, COMMENT }

    /** One token; {@code line} is the line it starts on. */
    public record Token(Kind kind, String text, int line) {
        /** Upper-cased keyword, or the text itself for anything but a word. */
        public String word() {
            return kind == Kind.WORD ? text.toUpperCase(Locale.ROOT) : text;
        }

        /** The name it denotes: unquoted words fold to lower case as PostgreSQL folds them. */
        public String name() {
            return kind == Kind.QUOTED ? text.substring(1, text.length() - 1).replace("\"\"", "\"")
                    : text.toLowerCase(Locale.ROOT);
        }

        /** Neither space nor comment. */
        public boolean significant() {
            return kind != Kind.SPACE && kind != Kind.COMMENT;
        }
    }

    private final String text;
    private final boolean strict;

    private SqlLexer(String text, boolean strict) {
        this.text = text;
        this.strict = strict;
    }

    /**
     * The tokens of a user-written expression.
     *
     * @throws IllegalArgumentException with a message that says what is wrong
     */
    public static List<Token> expression(String text) {
        return new SqlLexer(text, true).tokens(1);
    }

    /** The tokens of a script; {@code firstLine} is the line number of the text's first line. */
    public static List<Token> script(String text, int firstLine) {
        return new SqlLexer(text, false).tokens(firstLine);
    }

    private List<Token> tokens(int firstLine) {
        List<Token> tokens = new ArrayList<>();
        int line = firstLine;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int start = i;
            Kind kind;
            if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                kind = Kind.SPACE;
            } else if (c == '\'' || (c == 'E' || c == 'e') && next(i) == '\'') {
                boolean escapes = c != '\'';
                i = endOfQuoted(escapes ? i + 2 : i + 1, '\'', escapes);
                kind = Kind.STRING;
            } else if (c == '"') {
                i = endOfQuoted(i + 1, '"', false);
                if (strict && i - start == 2) {
                    throw new IllegalArgumentException("has an empty quoted identifier");
                }
                kind = Kind.QUOTED;
            } else if (c == '-' && next(i) == '-' || c == '/' && next(i) == '*') {
                if (strict) {
                    throw new IllegalArgumentException("contains a comment ('--' or '/*'), which is not allowed");
                }
                i = c == '-' ? endOfLine(i) : endOfBlockComment(i);
                kind = Kind.COMMENT;
            } else if (c == '$' && strict) {
                throw new IllegalArgumentException(
                        "contains '$' outside a string (dollar quoting and parameters are not allowed)");
            } else if (c == '$' && dollarTag(i) != null) {
                String tag = dollarTag(i);
                int end = text.indexOf(tag, i + tag.length());
                i = end < 0 ? n : end + tag.length();
                kind = Kind.STRING;
            } else if (c == '\\' && strict) {
                throw new IllegalArgumentException("contains a backslash outside a string");
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && isWordPart(text.charAt(i))) {
                    i++;
                }
                kind = Kind.WORD;
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
                kind = Kind.NUMBER;
            } else {
                i++;
                kind = Kind.SYMBOL;
            }
            tokens.add(new Token(kind, text.substring(start, i), line));
            line += newlines(start, i);
        }
        return tokens;
    }

    /** PostgreSQL takes {@code $} inside an identifier; an expression may not have it anywhere. */
    private boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || !strict && c == '$';
    }

    private char next(int i) {
        return i + 1 < text.length() ? text.charAt(i + 1) : 0;
    }

    private int newlines(int from, int to) {
        int lines = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private int endOfLine(int i) {
        int end = text.indexOf('\n', i);
        return end < 0 ? text.length() : end;
    }

    /** PostgreSQL block comments nest. */
    private int endOfBlockComment(int i) {
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
    private String dollarTag(int i) {
        int j = i + 1;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
            j++;
        }
        if (j >= text.length() || text.charAt(j) != '$' || (j > i + 1 && Character.isDigit(text.charAt(i + 1)))) {
            return null;
        }
        return text.substring(i, j + 1);
    }

    private int endOfQuoted(int i, char quote, boolean backslashEscapes) {
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote && next(i) == quote) {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        if (strict) {
            throw new IllegalArgumentException("has an unterminated " + (quote == '"' ? "quoted identifier" : "string"));
        }
        return n;
    }
}
