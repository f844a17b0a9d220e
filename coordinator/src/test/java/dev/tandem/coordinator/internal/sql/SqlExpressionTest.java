package dev.tandem.coordinator.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlExpressionTest {

    @ParameterizedTest
    @ValueSource(strings = {"1); DROP TABLE t; --", "a;b", "x -- comment", "x /* c */", "$$ x $$", "(a", "a)",
        "'unterminated", "\"\"", "a)) OR ((b"})
    void refusesTextThatCouldLeaveItsPlace(String text) {
        assertThatThrownBy(() -> SqlExpression.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"first_name || ' ' || last_name", "(price * 100)::bigint", "'a;b -- $$ /*'",
        "coalesce(\"Weird\", 'x')", "E'it\\'s'", "lower(email) = 'x'"})
    void acceptsExpressions(String text) {
        assertThat(SqlExpression.parse(text).wrapped()).isEqualTo("(" + text + ")");
    }

    @Test
    void tellsConstants() {
        assertThat(SqlExpression.parse("'new'").isConstant()).isTrue();
        assertThat(SqlExpression.parse("0").isConstant()).isTrue();
        assertThat(SqlExpression.parse("'x'::character varying(20)").isConstant()).isTrue();
        assertThat(SqlExpression.parse("now()").isConstant()).isFalse();
        assertThat(SqlExpression.parse("gen_random_uuid()").isConstant()).isFalse();
        assertThat(SqlExpression.parse("a + 1").isConstant()).isFalse();
    }

    @Test
    void renamesColumnReferencesButNotFunctionsOrStrings() {
        SqlExpression e = SqlExpression.parse("length(name) > 0 AND name <> 'name' AND t.name IS NOT NULL");
        assertThat(e.renameColumns(Map.of("name", "_tandem_name")).text())
                .isEqualTo("length(\"_tandem_name\") > 0 AND \"_tandem_name\" <> 'name' AND t.name IS NOT NULL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"(price * 100)::bigint", "first_name || ' ' || last_name", "`a` + 1", "E'x' = a",
            // '#' comments out the rest of the line in MySQL and MariaDB, so "# '" hides a quote from the lexer
            "1 # '\n); UPDATE victim SET v = 999; SET @x = (1 # '\n", "@tandem_backfill := 1", "@@sql_mode",
            "a := 1"})
    void refusesWhatMySqlFamilyReadsOtherwiseWhenWrapped(String text) {
        SqlExpression e = SqlExpression.parse(text);
        assertThatThrownBy(() -> e.wrapped(name -> "`" + name + "`")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.wrapped(name -> "`" + name + "`", "t", true, (name, quoted, qualified) -> "NEW." + name))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replacesColumnReferencesButNotCallsOtherTablesColumnsOrTypes() {
        SqlExpression e = SqlExpression.parse("CAST(date AS date) + length(\"Name\") + t.date + x");
        assertThat(e.wrapped(name -> "`" + name + "`", "events", false, (name, quoted, qualified) -> name.equals("as")
                ? null : (quoted ? "Q." : "W.") + name))
                .isEqualTo("(CAST(W.date AS date) + length(Q.Name) + t.date + W.x)");
        assertThat(e.renameColumns(Map.of("date", "d")).text()).isEqualTo("CAST(\"d\" AS date) + length(\"Name\") + t.date + x");
    }

    /**
     * The table's own name means the row being written anywhere; a bare name only outside subqueries, inside one it is
     * left to the subquery's tables; other qualifiers and what follows a '.' stay as written.
     */
    @Test
    void findsTheRowBeingWrittenByTheTablesNameAndByBareNamesOutsideSubqueries() {
        SqlExpression e = SqlExpression.parse("total + Orders . \"Total\" + (SELECT max(o.total) + total FROM orders o"
                + " WHERE o.customer_id = orders.customer_id AND EXISTS (SELECT 1 FROM t WHERE t.x = orders.x)) + x");
        assertThat(e.wrapped("orders", false, (name, quoted, qualified) -> (qualified ? "R." : "B.") + name))
                .isEqualTo("(B.total + R.Total + (SELECT max(o.total) + total FROM orders o"
                        + " WHERE o.customer_id = R.customer_id AND EXISTS (SELECT 1 FROM t WHERE t.x = R.x)) + B.x)");
        assertThat(e.rowReferences("orders", false)).containsExactly("total", "Total", "customer_id", "x", "x");
        assertThat(SqlExpression.parse("\"Orders\".id + Orders.id").rowReferences("orders", false)).containsExactly("id");
        assertThat(SqlExpression.parse("\"Orders\".id + orders.id").rowReferences("ORDERS", true))
                .containsExactly("id", "id");
    }

    @Test
    void knowsSubqueriesByTheirSelectOrWithAndWhereTheyEnd() {
        SqlExpression e = SqlExpression.parse("(a) + (WITH w AS (SELECT b FROM t) SELECT count(*) FROM w WHERE w.b ="
                + " orders.b) + coalesce((SELECT c FROM (SELECT c FROM u) s), d) + orders.f(1)");
        // orders.f(1) calls a function of a schema named orders
        assertThat(e.rowReferences("orders", false)).containsExactly("a", "b", "d");
    }

    @Test
    void leavesAReferenceItsRendererDoesNotKnowAsWritten() {
        assertThat(SqlExpression.parse("orders.nope + nope").wrapped("orders", false, (name, quoted, qualified) -> null))
                .isEqualTo("(orders.nope + nope)");
    }
}
