package dev.tandem.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.operation.AddColumn;
import dev.tandem.coordinator.internal.operation.AlterColumn;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConstraintNameSyntaxTest {
    private static Migration parse(String operation, Database database) {
        return new MigrationParser().parse("m.yaml", ("name: m\noperations:\n  - " + operation + "\n")
                .getBytes(StandardCharsets.UTF_8), database);
    }

    @Test
    void checkUniqueAndReferencesTakeAName() {
        AlterColumn alter = (AlterColumn) parse("alter_column: {table: t, column: c, check: {name: ck_c,"
                + " constraint: {postgresql: \"c::int > 0\", mariadb: \"CAST(c AS INTEGER) > 0\"}},"
                + " unique: {name: uq_c}, references: {table: r, column: id, name: fk_c}}", Database.MARIADB)
                .operations().get(0);
        assertThat(alter.check().name()).isEqualTo("ck_c");
        assertThat(alter.check().constraint()).isEqualTo("CAST(c AS INTEGER) > 0");
        assertThat(alter.check().nameOn("t", "c")).isEqualTo("ck_c");
        assertThat(alter.unique().nameOn("t", "c")).isEqualTo("uq_c");
        assertThat(alter.references().nameOn("t", "c")).isEqualTo("fk_c");
    }

    @Test
    void withoutANameTandemNamesThemAsBefore() {
        AddColumn add = (AddColumn) parse("add_column: {table: t, column: {name: c, type: int, check: c > 0,"
                + " unique: true, references: {table: r, column: id}}}", null).operations().get(0);
        assertThat(add.column().checkName("t")).isEqualTo("t_c_check");
        assertThat(add.column().uniqueName("t")).isEqualTo("t_c_key");
        assertThat(add.column().foreignKeyName("t")).isEqualTo("t_c_fkey");
        AlterColumn alter = (AlterColumn) parse("alter_column: {table: t, column: c,"
                + " check: {postgresql: c > 0, mariadb: c > 1}}", Database.MARIADB).operations().get(0);
        assertThat(alter.check().nameOn("t", "c")).isEqualTo("t_c_check");
        assertThat(alter.check().constraint()).isEqualTo("c > 1");
    }

    @Test
    void aBadNameOrKeyNamesFileOperationAndProblem() {
        assertThatThrownBy(() -> parse("alter_column: {table: t, column: c, check: {name: 'bad name', constraint: c > 0}}",
                null)).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("m.yaml: operation 1 (alter_column) check: 'check.name' 'bad name' may only contain");
        assertThatThrownBy(() -> parse("alter_column: {table: t, column: c, check: {name: k, expression: c > 0}}", null))
                .hasMessageContaining("m.yaml: operation 1 (alter_column) check.expression: unknown key 'expression';"
                        + " expected one of constraint, name");
        assertThatThrownBy(() -> parse("alter_column: {table: t, column: c, check: {name: k}}", null))
                .hasMessageContaining("operation 1 (alter_column) check: missing 'check.constraint'");
        assertThatThrownBy(() -> parse("alter_column: {table: t, column: c, unique: {nme: k}}", null))
                .hasMessageContaining("operation 1 (alter_column) unique.nme: unknown key 'nme'; expected one of name");
        assertThatThrownBy(() -> parse("alter_column: {table: t, column: c, unique: 'yes'}", null))
                .hasMessageContaining("operation 1 (alter_column) unique: wrong type: expected true or false");
        assertThatThrownBy(() -> parse("add_column: {table: t, column: {name: c, type: int,"
                + " references: {table: r, column: id, name: " + "x".repeat(64) + "}}}", null))
                .hasMessageContaining("operation 1 (add_column) column.references: 'references.name'")
                .hasMessageContaining("63");
    }
}
