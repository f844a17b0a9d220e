package dev.tandem.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.Examples;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PortabilityTest {
    private static Portability of(String yaml) {
        return new MigrationParser().parse("m.yaml", yaml.getBytes(StandardCharsets.UTF_8)).portability();
    }

    @Test
    void portableSpellingsAndPerDatabaseExpressionsRunOnBoth() {
        Portability portability = of("""
                name: m
                operations:
                  - add_column:
                      table: customers
                      column: {name: display_name, type: text, nullable: false}
                      up: CONCAT(first_name, ' ', last_name)
                  - alter_column:
                      table: products
                      column: price
                      type: bigint
                      up: {postgresql: "round(price * 100)::bigint", mariadb: "CAST(round(price * 100) AS SIGNED)"}
                      down: CAST(price / 100.0 AS DECIMAL(10, 2))
                """);
        assertThat(portability.runsOn()).containsExactly(Database.POSTGRESQL, Database.MARIADB);
        assertThat(portability.describe()).isEqualTo("runs on: PostgreSQL, MariaDB");
    }

    @Test
    void aPostgresqlSpellingNamesTheOperationAndWhatToWriteInstead() {
        Portability portability = Examples.migration("add_column.yaml").portability();
        assertThat(portability.runsOn()).containsExactly(Database.POSTGRESQL);
        assertThat(portability.describe()).startsWith("PostgreSQL only: operation 1 (add_column): ")
                .contains("has '||', which MySQL and MariaDB read as OR: write CONCAT(a, b)");
        assertThat(Examples.migration("price_in_cents.yaml").portability().describe())
                .startsWith("PostgreSQL only: operation 1 (alter_column): ").contains("'::' cast");
    }

    @Test
    void whatMariaDbRefusesWhateverTheTablesHoldIsNamed() {
        assertThat(of("""
                name: m
                operations:
                  - create_index: {name: i, table: t, columns: [a], where: a > 0}
                """).describe()).isEqualTo("PostgreSQL only: operation 1 (create_index): not supported online on"
                + " MariaDB (yet): a partial index (MariaDB has no WHERE on indexes)");
        assertThat(of("""
                name: m
                operations:
                  - alter_column: {table: t, column: a, check: a > 0, up: a, down: a, strategy: in_place}
                """).describe()).startsWith("PostgreSQL only: operation 1 (alter_column): not supported online"
                + " on MariaDB (yet): a check constraint on an existing table");
        assertThat(of("""
                name: m
                operations:
                  - create_table:
                      table: t
                      columns: [{name: id, type: bigint, primary_key: true}, {name: a, type: int}]
                  - create_constraint: {table: t, name: k, type: check, check: a > 0}
                """).describe()).isEqualTo("runs on: PostgreSQL, MariaDB");
    }

    /** Whether the table can be copied only its catalog tells: plan on MariaDB says, not the file. */
    @Test
    void aCheckOnAnExistingTableRunsOnBothThroughMariaDbsTableCopy() {
        assertThat(of("""
                name: m
                operations:
                  - create_constraint: {table: t, name: k, type: check, check: a > 0}
                  - alter_column: {table: u, column: b, check: b > 0, comment: positive, up: b, down: b}
                """).describe()).isEqualTo("runs on: PostgreSQL, MariaDB");
        assertThat(of("""
                name: m
                operations:
                  - create_constraint: {table: t, name: k, type: check, check: "a::int > 0"}
                """).describe()).startsWith("PostgreSQL only: operation 1 (create_constraint): ")
                .contains("'::' cast");
    }

    @Test
    void aPostgresqlTypeOrAnExistingColumnsCommentIsNamed() {
        assertThat(of("""
                name: m
                operations:
                  - alter_column: {table: t, column: c, type: timestamptz, up: c, down: c}
                """).describe()).startsWith("PostgreSQL only: operation 1 (alter_column): column 'c' has type"
                + " timestamptz, which is PostgreSQL's and not MariaDB's");
        assertThat(of("""
                name: m
                operations:
                  - add_column: {table: t, column: {name: c, type: varchar(20), comment: new}}
                  - alter_column: {table: t, column: d, comment: changed, up: d, down: d, strategy: in_place}
                """).describe()).startsWith("PostgreSQL only: operation 2 (alter_column): not supported online on"
                + " MariaDB (yet): a column comment");
    }

    @Test
    void aFieldGivenForOneDatabaseOnlyMakesTheFileRunThereOnly() {
        assertThat(of("""
                name: m
                operations:
                  - drop_column: {table: t, column: c, down: {mariadb: "UUID()"}}
                """).describe()).isEqualTo("MariaDB only: operation 1 (drop_column) down: has no 'postgresql' text,"
                + " so this migration does not run on PostgreSQL (it gives mariadb) (line 3)");
    }
}
