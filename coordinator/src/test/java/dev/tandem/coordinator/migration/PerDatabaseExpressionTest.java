package dev.tandem.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.operation.AddColumn;
import dev.tandem.coordinator.internal.operation.AlterColumn;
import dev.tandem.coordinator.internal.operation.CreateIndex;
import dev.tandem.coordinator.internal.operation.RawSql;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PerDatabaseExpressionTest {
    private static final String BOTH = """
            name: m
            operations:
              - alter_column:
                  table: products
                  column: price
                  type: bigint
                  up: {postgresql: "round(price * 100)::bigint", mariadb: "CAST(round(price * 100) AS SIGNED)"}
                  down: CAST(price / 100.0 AS numeric(10, 2))
                  default: {postgresql: "'0'::bigint", mariadb: "0"}
              - add_column:
                  table: customers
                  column: {name: display_name, type: text, check: {mariadb: "1 = 1", postgresql: "2 = 2"}}
                  up: {postgresql: "first_name || ' ' || last_name", mariadb: "CONCAT(first_name, ' ', last_name)"}
              - create_index: {name: i, table: t, columns: [a], where: {postgresql: "a > 0"}}
              - sql:
                  phase: contract
                  sql: {postgresql: "SELECT 1", mariadb: "DO 1"}
            """;

    private static Migration parse(String text, Database database) {
        return new MigrationParser().parse("m.yaml", text.getBytes(StandardCharsets.UTF_8), database);
    }

    @Test
    void eachDatabaseGetsItsOwnExpression() {
        Migration mariaDb = parse(BOTH.replace("where: {postgresql: \"a > 0\"}", "unique: true"), Database.MARIADB);
        AlterColumn alter = (AlterColumn) mariaDb.operations().get(0);
        assertThat(alter.up()).isEqualTo("CAST(round(price * 100) AS SIGNED)");
        assertThat(alter.down()).isEqualTo("CAST(price / 100.0 AS numeric(10, 2))");
        assertThat(alter.defaultValue()).isEqualTo("0");
        AddColumn add = (AddColumn) mariaDb.operations().get(1);
        assertThat(add.up()).isEqualTo("CONCAT(first_name, ' ', last_name)");
        assertThat(add.column().check().constraint()).isEqualTo("1 = 1");
        assertThat(((RawSql) mariaDb.operations().get(3)).sql()).isEqualTo("DO 1");

        Migration postgres = parse(BOTH, Database.POSTGRESQL);
        assertThat(((AlterColumn) postgres.operations().get(0)).up()).isEqualTo("round(price * 100)::bigint");
        assertThat(((CreateIndex) postgres.operations().get(2)).where()).isEqualTo("a > 0");
        assertThat(((RawSql) postgres.operations().get(3)).sql()).isEqualTo("SELECT 1");
    }

    @Test
    void readForNoDatabaseItHoldsPostgresqlsElseMariaDbsAndOnPicksOne() {
        Migration any = parse(BOTH, null);
        assertThat(((AddColumn) any.operations().get(1)).up()).isEqualTo("first_name || ' ' || last_name");
        Migration mariaDbOnly = parse(BOTH.replace("{postgresql: \"a > 0\"}", "{mariadb: \"a > 1\"}"), null);
        assertThat(((CreateIndex) mariaDbOnly.operations().get(2)).where()).isEqualTo("a > 1");
        assertThat(((AddColumn) mariaDbOnly.on(Database.MARIADB).operations().get(1)).up())
                .isEqualTo("CONCAT(first_name, ' ', last_name)");
        assertThat(mariaDbOnly.on(Database.MARIADB).checksum()).isEqualTo(mariaDbOnly.checksum());
    }

    @Test
    void aFieldWithoutTheDatabasesExpressionNamesFileOperationAndDatabase() {
        assertThatThrownBy(() -> parse(BOTH, Database.MARIADB))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("m.yaml: operation 3 (create_index) where")
                .hasMessageContaining("has no 'mariadb' text, so this migration does not run on MariaDB");
    }

    @Test
    void anUnknownDatabaseIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> parse(BOTH.replace("mariadb: \"DO 1\"", "mysql: \"DO 1\""), null))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("m.yaml: operation 4 (sql) sql.mysql: ")
                .hasMessageContaining("unknown key 'mysql'; expected one of mariadb, postgresql")
                .hasMessageContaining("(line 17)");
    }

    @Test
    void everyDatabasesExpressionIsCheckedOnAnyRead() {
        assertThatThrownBy(() -> parse(BOTH.replace("mariadb: \"0\"", "mariadb: \"0; DROP TABLE t\""), null))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("operation 1 (alter_column) default")
                .hasMessageContaining("'mariadb' contains ';'");
        assertThatThrownBy(() -> parse(BOTH.replace("{postgresql: \"a > 0\"}", "{}"), null))
                .hasMessageContaining("operation 3 (create_index) where")
                .hasMessageContaining("give a text, or a text per database under postgresql or mariadb");
        assertThatThrownBy(() -> parse(BOTH.replace("{postgresql: \"a > 0\"}", "{postgresql: 5}"), null))
                .hasMessageContaining("operation 3 (create_index) where")
                .hasMessageContaining("'postgresql': wrong type: expected text");
    }
}
