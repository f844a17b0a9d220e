package dev.tandem.coordinator.internal.sql;

import dev.tandem.coordinator.internal.sql.SqlLexer.Kind;
import dev.tandem.coordinator.internal.sql.SqlLexer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A user-written SQL expression ({@code up}, {@code down}, checks, defaults, index predicates). The text is
 * lexed so that it can only ever stand in the place Tandem puts it: parentheses must balance, and
 * statement separators, comments and dollar quotes are refused. Tandem always wraps it in parentheses.
 */
public final class SqlExpression {
    private final String text;
    private final List<Token> tokens;

    private SqlExpression(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /**
     * Lexes and checks {@code text}.
     *
     * @throws IllegalArgumentException with a message that says what is wrong
     */
    public static SqlExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        List<Token> tokens = SqlLexer.expression(text);
        int depth = 0;
        for (Token token : tokens) {
            if (token.kind() == Kind.SYMBOL && token.text().equals("(")) {
                depth++;
            } else if (token.kind() == Kind.SYMBOL && token.text().equals(")")) {
                depth--;
                if (depth < 0) {
                    throw new IllegalArgumentException("has a ')' without a matching '('");
                }
            } else if (token.kind() == Kind.SYMBOL && token.text().equals(";")) {
                throw new IllegalArgumentException("contains ';': an expression cannot end a statement");
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("has a '(' without a matching ')'");
        }
        return new SqlExpression(text.strip(), List.copyOf(tokens));
    }

    /** An expression the database itself reported (a column default): trusted, not checked. */
    public static SqlExpression fromCatalog(String text) {
        List<Token> tokens;
        try {
            tokens = SqlLexer.expression(text);
        } catch (IllegalArgumentException e) {
            tokens = List.of(new Token(Kind.WORD, text, 1));
        }
        return new SqlExpression(text.strip(), tokens);
    }

    public String text() {
        return text;
    }

    /** The expression in parentheses, ready to be placed inside a statement. */
    public String wrapped() {
        return "(" + text + ")";
    }

    /**
     * The expression in parentheses with every quoted identifier quoted by {@code quote} instead, for a
     * database that does not read double quotes as identifiers.
     *
     * @throws IllegalArgumentException for an {@code E'...'} string: only PostgreSQL reads its backslash
     *     escapes, elsewhere the text after it would not be where the lexer saw it; for a backtick outside
     *     strings, which MySQL and MariaDB read as a quote the lexer does not know; for {@code #}, which they
     *     read as a comment; for {@code @} and {@code :}, session variables and assignments, which could switch
     *     off what Tandem's triggers read from the session; for PostgreSQL's {@code ::} cast; and for
     *     {@code ||}, which MySQL and MariaDB read as OR, not as concatenation
     */
    public String wrapped(UnaryOperator<String> quote) {
        return render(quote, null, false, (name, quoted, qualified) -> null);
    }

    /**
     * The expression in parentheses with its references to the row being written replaced by what {@code row}
     * renders for them (a reference it returns null for stays as written). A reference to the row is a column
     * named with the table's name ({@code orders.total}), anywhere, or a bare column name outside subqueries
     * ({@code total}); inside a subquery a bare name is left to the subquery's own tables.
     *
     * @param table the table's name as the expression's version knows it
     * @param ignoreCase whether the database takes table names written in another case for the same table
     */
    public String wrapped(String table, boolean ignoreCase, RowReference row) {
        return render(null, table, ignoreCase, row);
    }

    /** As {@link #wrapped(String, boolean, RowReference)}, with identifiers quoted as {@link #wrapped(UnaryOperator)}. */
    public String wrapped(UnaryOperator<String> quote, String table, boolean ignoreCase, RowReference row) {
        return render(quote, table, ignoreCase, row);
    }

    /**
     * The column names with which the expression refers to the row being written, as
     * {@link #wrapped(String, boolean, RowReference)} finds them, lower-cased when unquoted.
     */
    public List<String> rowReferences(String table, boolean ignoreCase) {
        List<String> names = new ArrayList<>();
        render(null, table, ignoreCase, (name, quoted, qualified) -> {
            names.add(name);
            return null;
        });
        return names;
    }

    /** How a rendering writes a reference to a column of the row being written. */
    @FunctionalInterface
    public interface RowReference {
        /**
         * @param name the column's name, lower-cased when it was written unquoted
         * @param quoted whether it was written in double quotes
         * @param qualified whether it was written with the table's name, as in {@code orders.total}
         * @return the text that stands for it, or null to leave it as written
         */
        String render(String name, boolean quoted, boolean qualified);
    }

    /** @param quote null to leave identifiers as written, without the checks for MySQL and MariaDB */
    private String render(UnaryOperator<String> quote, String table, boolean ignoreCase, RowReference row) {
        StringBuilder out = new StringBuilder("(");
        Deque<Boolean> parentheses = new ArrayDeque<>();
        int subqueries = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (quote != null) {
                refuseForeign(i);
            }
            if (token.kind() == Kind.SYMBOL && token.text().equals("(")) {
                boolean subquery = opensSubquery(i);
                parentheses.push(subquery);
                subqueries += subquery ? 1 : 0;
            } else if (token.kind() == Kind.SYMBOL && token.text().equals(")")) {
                subqueries -= !parentheses.isEmpty() && parentheses.pop() ? 1 : 0;
            }
            int column = table == null ? -1 : qualifiedColumn(i, table, ignoreCase);
            String replaced = null;
            if (column >= 0) {
                Token name = tokens.get(column);
                replaced = row.render(name.name(), name.kind() == Kind.QUOTED, true);
                if (replaced != null) {
                    out.append(replaced);
                    i = column;
                    continue;
                }
            } else if (subqueries == 0 && isReference(i) && !isQualifier(i)) {
                replaced = row.render(token.name(), token.kind() == Kind.QUOTED, false);
            }
            if (replaced != null) {
                out.append(replaced);
            } else {
                out.append(token.kind() == Kind.QUOTED && quote != null ? quote.apply(token.name()) : token.text());
            }
        }
        return out.append(')').toString();
    }

    private void refuseForeign(int i) {
        Token token = tokens.get(i);
        if (doubled(i, ":")) {
            throw new IllegalArgumentException("'" + text + "' has a '::' cast, which only PostgreSQL reads: write"
                    + " CAST(value AS type)");
        }
        if (doubled(i, "|")) {
            throw new IllegalArgumentException("'" + text + "' has '||', which MySQL and MariaDB read as OR: write"
                    + " CONCAT(a, b) to join strings, OR for either");
        }
        if (token.kind() == Kind.STRING && !token.text().startsWith("'")) {
            throw new IllegalArgumentException("'" + text + "' has an E'...' string, which only PostgreSQL reads");
        }
        if (token.kind() == Kind.SYMBOL && token.text().equals("#")) {
            throw new IllegalArgumentException("'" + text + "' has '#', which MySQL and MariaDB read as a comment "
                    + "to the end of the line");
        }
        if (token.kind() == Kind.SYMBOL && (token.text().equals("@") || token.text().equals(":"))) {
            throw new IllegalArgumentException("'" + text + "' has '" + token.text() + "': session variables and "
                    + "':=' assignments are not allowed in an expression");
        }
        if (token.kind() == Kind.SYMBOL && token.text().equals("`")) {
            throw new IllegalArgumentException("'" + text + "' has a backtick, which MySQL and MariaDB read as a"
                    + " quote: write identifiers in double quotes");
        }
    }

    /** True when the '(' at {@code index} opens a subquery: SELECT or WITH follows it. */
    private boolean opensSubquery(int index) {
        Token next = next(index);
        return next != null && next.kind() == Kind.WORD
                && (next.text().equalsIgnoreCase("select") || next.text().equalsIgnoreCase("with"));
    }

    /**
     * The index of the column in {@code table.column} when the identifier at {@code index} is {@code table} so used,
     * else -1.
     */
    private int qualifiedColumn(int index, String table, boolean ignoreCase) {
        Token token = tokens.get(index);
        if (!isReference(index) || !isQualifier(index)) {
            return -1;
        }
        boolean named = ignoreCase ? token.name().equalsIgnoreCase(table) : token.name().equals(table);
        int dot = nextIndex(index);
        int column = nextIndex(dot);
        if (!named || column < 0) {
            return -1;
        }
        Kind kind = tokens.get(column).kind();
        return (kind == Kind.WORD || kind == Kind.QUOTED) && !isCall(column) ? column : -1;
    }

    /** True when the identifier at {@code index} is followed by a '.'. */
    private boolean isQualifier(int index) {
        Token next = next(index);
        return next != null && next.kind() == Kind.SYMBOL && next.text().equals(".");
    }

    /** True when the tokens at {@code index} and after it are both the symbol {@code symbol}. */
    private boolean doubled(int index, String symbol) {
        return index + 1 < tokens.size() && tokens.get(index).kind() == Kind.SYMBOL && tokens.get(index).text().equals(symbol)
                && tokens.get(index + 1).text().equals(symbol);
    }

    /** True when the expression is one literal (optionally cast), so evaluating it needs no row and no function. */
    public boolean isConstant() {
        List<Token> significant = tokens.stream().filter(t -> t.kind() != Kind.SPACE).toList();
        if (significant.isEmpty()) {
            return false;
        }
        Token first = significant.get(0);
        boolean literal = first.kind() == Kind.STRING || first.kind() == Kind.NUMBER
                || (first.kind() == Kind.WORD && List.of("true", "false", "null")
                        .contains(first.text().toLowerCase(Locale.ROOT)));
        if (!literal) {
            return false;
        }
        if (significant.size() == 1) {
            return true;
        }
        // 'x'::text, 'x'::character varying(20), 1::bigint
        if (significant.size() >= 3 && significant.get(1).text().equals(":") && significant.get(2).text().equals(":")) {
            return significant.stream().skip(3).allMatch(t -> t.kind() == Kind.WORD || t.kind() == Kind.NUMBER
                    || t.text().equals("(") || t.text().equals(")") || t.text().equals(","));
        }
        return false;
    }

    /**
     * The identifiers the expression names outside strings, lower-cased when unquoted (as PostgreSQL folds
     * them), excluding words followed by '(' (function calls).
     */
    public List<String> referencedNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.kind() == Kind.QUOTED) {
                names.add(token.name());
            } else if (token.kind() == Kind.WORD && !isCall(i)) {
                names.add(token.name());
            }
        }
        return names;
    }

    /**
     * Rewrites column references: every identifier (not a function call, not after a '.') whose name is a key
     * of {@code renames} is replaced by the quoted new name.
     */
    public SqlExpression renameColumns(Map<String, String> renames) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            String target = isReference(i) ? renames.get(token.name()) : null;
            out.append(target == null ? token.text() : Quoting.ident(target));
        }
        return new SqlExpression(out.toString().strip(), SqlLexer.expression(out.toString()));
    }

    /**
     * A column reference: an identifier that is not a function call, nor after a '.', nor a type after AS or '::',
     * nor a collation.
     */
    private boolean isReference(int index) {
        Token token = tokens.get(index);
        if (token.kind() != Kind.QUOTED && (token.kind() != Kind.WORD || isCall(index))) {
            return false;
        }
        Token previous = previous(index);
        return previous == null || !(previous.text().equals(".") || previous.text().equalsIgnoreCase("as")
                || previous.text().endsWith(":") || previous.text().equalsIgnoreCase("collate"));
    }

    private boolean isCall(int index) {
        Token next = next(index);
        return next != null && next.kind() == Kind.SYMBOL && next.text().equals("(");
    }

    private Token next(int index) {
        int next = nextIndex(index);
        return next < 0 ? null : tokens.get(next);
    }

    /** The index of the first token after {@code index} that is not a space, or -1. */
    private int nextIndex(int index) {
        for (int j = index + 1; j < tokens.size(); j++) {
            if (tokens.get(j).kind() != Kind.SPACE) {
                return j;
            }
        }
        return -1;
    }

    private Token previous(int index) {
        for (int j = index - 1; j >= 0; j--) {
            if (tokens.get(j).kind() != Kind.SPACE) {
                return tokens.get(j);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
