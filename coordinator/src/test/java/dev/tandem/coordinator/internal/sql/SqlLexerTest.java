package dev.tandem.coordinator.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.internal.sql.SqlLexer.Kind;
import dev.tandem.coordinator.internal.sql.SqlLexer.Token;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {
    private static final String SCRIPT = """
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql; -- one; two
            /* a /* nested */ comment; */ SELECT 'it''s;', E'\\';', "odd;name", a$b
            FROM t""";

    @Test
    void everyCharacterLandsInOneTokenInBothModes() {
        assertThat(text(SqlLexer.script(SCRIPT, 1))).isEqualTo(SCRIPT);
        String expression = "coalesce(\"Weird\", E'it\\'s') || ' ' ||  x.y::bigint";
        assertThat(text(SqlLexer.expression(expression))).isEqualTo(expression);
    }

    @Test
    void scriptKeepsQuotedSemicolonsInsideTheirTokensAndCountsLines() {
        List<Token> tokens = SqlLexer.script(SCRIPT, 10);
        assertThat(tokens).filteredOn(t -> t.kind() == Kind.SYMBOL && t.text().equals(";"))
                .extracting(Token::line).containsExactly(10);
        assertThat(tokens).filteredOn(t -> t.kind() == Kind.COMMENT).extracting(Token::line).containsExactly(10, 11);
        assertThat(tokens).filteredOn(t -> t.kind() == Kind.STRING).extracting(Token::text)
                .containsExactly("$body$ SELECT 1; $body$", "'it''s;'", "E'\\';'");
        assertThat(tokens).filteredOn(t -> t.kind() == Kind.WORD && t.line() == 12).extracting(Token::text)
                .containsExactly("FROM", "t");
        assertThat(tokens).filteredOn(t -> t.kind() == Kind.QUOTED).extracting(Token::name).containsExactly("odd;name");
        assertThat(tokens).extracting(Token::text).contains("a$b");
    }

    @Test
    void expressionRefusesWhatScriptReads() {
        for (String text : List.of("a -- c", "a /* c */", "$$x$$", "a$b", "a \\ b", "'open", "\"open", "\"\"")) {
            assertThat(text(SqlLexer.script(text, 1))).isEqualTo(text);
            assertThatThrownBy(() -> SqlLexer.expression(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String text(List<Token> tokens) {
        return tokens.stream().map(Token::text).reduce("", String::concat);
    }
}
