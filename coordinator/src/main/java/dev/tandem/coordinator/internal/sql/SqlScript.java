package dev.tandem.coordinator.internal.sql;

import dev.tandem.coordinator.internal.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at the ';' tokens of {@link SqlLexer#script}: comments are dropped, strings,
 * quoted identifiers and dollar-quoted bodies are single tokens, so a ';' inside them never ends a statement. No
 * grammar: rules read the token sequence.
 */
public final class SqlScript {
    private SqlScript() {
    }

    /** The statements of {@code text}; {@code firstLine} is the line number of the text's first line. */
    public static List<SqlStatement> split(String text, int firstLine) {
        List<SqlStatement> statements = new ArrayList<>();
        List<Token> tokens = new ArrayList<>();
        int start = 0;
        int offset = 0;
        for (Token token : SqlLexer.script(text, firstLine)) {
            offset += token.text().length();
            if (token.kind() == SqlLexer.Kind.SYMBOL && token.text().equals(";")) {
                add(statements, text.substring(start, offset - 1), tokens);
                tokens = new ArrayList<>();
                start = offset;
            } else if (token.significant()) {
                tokens.add(token);
            }
        }
        add(statements, text.substring(start), tokens);
        return statements;
    }

    private static void add(List<SqlStatement> statements, String text, List<Token> tokens) {
        if (!tokens.isEmpty()) {
            statements.add(new SqlStatement(text.strip(), tokens));
        }
    }
}
