package dev.tandem.coordinator.internal.sql;

import dev.tandem.coordinator.internal.sql.SqlLexer.Kind;
import dev.tandem.coordinator.internal.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;

/** One SQL statement as its significant tokens ({@link SqlLexer}), with helpers to match keyword sequences. */
public final class SqlStatement {
    private final String text;
    private final List<Token> tokens;

    SqlStatement(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = List.copyOf(tokens);
    }

    public String text() {
        return text;
    }

    public int line() {
        return tokens.get(0).line();
    }

    public List<Token> tokens() {
        return tokens;
    }

    public int size() {
        return tokens.size();
    }

    /** The keyword at token {@code index} (upper case), or "" past the end. */
    public String word(int index) {
        return index < tokens.size() ? tokens.get(index).word() : "";
    }

    /** Whether the tokens from {@code index} on are {@code words} (keywords, upper case). */
    public boolean at(int index, String... words) {
        for (int i = 0; i < words.length; i++) {
            if (!word(index + i).equals(words[i])) {
                return false;
            }
        }
        return true;
    }

    public boolean startsWith(String... words) {
        return at(0, words);
    }

    /** The first index at or after {@code from} where {@code words} start, or -1. */
    public int find(int from, String... words) {
        for (int i = from; i < tokens.size(); i++) {
            if (at(i, words)) {
                return i;
            }
        }
        return -1;
    }

    public boolean contains(String... words) {
        return find(0, words) >= 0;
    }

    /** Skips the optional words at {@code index} (each at most once, in order); returns the next index. */
    public int skip(int index, String... optional) {
        for (String word : optional) {
            if (word(index).equals(word)) {
                index++;
            }
        }
        return index;
    }

    /** The name (last part of a qualified name) starting at {@code index}, or null. */
    public String nameAt(int index) {
        String name = null;
        int i = index;
        while (i < tokens.size() && (tokens.get(i).kind() == Kind.WORD || tokens.get(i).kind() == Kind.QUOTED)) {
            name = tokens.get(i).name();
            if (!word(i + 1).equals(".")) {
                break;
            }
            i += 2;
        }
        return name;
    }

    /** The index just after the qualified name starting at {@code index}. */
    public int afterName(int index) {
        int i = index + 1;
        while (word(i).equals(".")) {
            i += 2;
        }
        return i;
    }

    /** The tokens inside the parentheses that open at {@code open}, as a statement of their own. */
    public SqlStatement inside(int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            depth += word(i).equals("(") ? 1 : word(i).equals(")") ? -1 : 0;
            if (depth == 0) {
                return new SqlStatement(text, tokens.subList(open + 1, i));
            }
        }
        return new SqlStatement(text, tokens.subList(Math.min(open + 1, tokens.size()), tokens.size()));
    }

    /** Tokens {@code from} (inclusive) to the end, cut at commas outside parentheses. */
    public List<SqlStatement> splitAtCommas(int from) {
        List<SqlStatement> parts = new ArrayList<>();
        List<Token> part = new ArrayList<>();
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.word().equals("(")) {
                depth++;
            } else if (token.word().equals(")")) {
                depth--;
            }
            if (depth == 0 && token.word().equals(",")) {
                if (!part.isEmpty()) {
                    parts.add(new SqlStatement(text, part));
                }
                part = new ArrayList<>();
            } else {
                part.add(token);
            }
        }
        if (!part.isEmpty()) {
            parts.add(new SqlStatement(text, part));
        }
        return parts;
    }

    /** The tokens from {@code from} up to (not including) the first of {@code stops} outside parentheses. */
    public List<Token> until(int from, List<String> stops) {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            String word = word(i);
            if (depth == 0 && stops.contains(word)) {
                break;
            }
            depth += word.equals("(") ? 1 : word.equals(")") ? -1 : 0;
            out.add(tokens.get(i));
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
