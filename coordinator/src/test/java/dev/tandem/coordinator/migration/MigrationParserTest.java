package dev.tandem.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.operation.AddColumn;
import dev.tandem.coordinator.internal.operation.RenameColumn;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MigrationParserTest {
    private final MigrationParser parser = new MigrationParser();

    private Migration parse(String file, String text) {
        return parser.parse(file, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsYaml() {
        Migration m = parse("m.yaml", """
                name: m1
                operations:
                  - add_column:
                      table: users
                      column: {name: age, type: integer, default: '0'}
                  - rename_column: {table: users, from: a, to: b}
                """);
        assertThat(m.name()).isEqualTo("m1");
        assertThat(m.operations()).hasSize(2);
        assertThat(m.operations().get(0)).isInstanceOf(AddColumn.class);
        assertThat(((AddColumn) m.operations().get(0)).column().defaultValue()).isEqualTo("0");
        assertThat(m.operations().get(1)).isEqualTo(new RenameColumn("users", "a", "b"));
        assertThat(m.checksum()).hasSize(64);
    }

    @Test
    void readsJsonByExtension() {
        Migration m = parse("m.json", """
                {"name": "m2", "operations": [{"drop_table": {"table": "t"}}]}
                """);
        assertThat(m.operations()).hasSize(1);
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("name: m\noperations:\n  - add_colum: {table: t}", "operation 1", "unknown operation 'add_colum'"),
                Arguments.of("name: m\noperations:\n  - rename_column: {table: t, from: a, to: b, too: c}", "operation 1 (rename_column)", "unknown key 'too'"),
                Arguments.of("name: m\noperations:\n  - rename_column: {table: t, from: a}", "operation 1 (rename_column)", "missing 'to'"),
                Arguments.of("name: m\noperations:\n  - drop_table: {table: [a]}", "operation 1 (drop_table)", ""),
                Arguments.of("name: m\noperations:\n  - drop_table: {table: 5}", "operation 1 (drop_table)", ""),
                Arguments.of("name: m\noperations: []", "'operations' needs at least one operation", ""),
                Arguments.of("name: 'bad name'\noperations:\n  - drop_table: {table: t}", "'name' 'bad name'", ""),
                Arguments.of("operations:\n  - drop_table: {table: t}", "name", ""),
                Arguments.of("name: m\nname: n\noperations:\n  - drop_table: {table: t}", "Duplicate field 'name'", ""),
                Arguments.of("name: m\noperations:\n  - drop_table: {table: 'users\"; drop table x; --'}", "operation 1 (drop_table)", "may only contain letters"),
                Arguments.of("name: m\noperations:\n  - add_column: {table: t, column: {name: c, type: int}, up: '1); DROP TABLE t; --'}", "operation 1 (add_column)", "'up'"),
                Arguments.of("name: m\noperations:\n  - add_column: {table: t, column: {name: c, type: 'int; drop table t'}}", "operation 1 (add_column)", "not a type name"),
                Arguments.of("name: m\noperations:\n  - sql: {phase: expand, sql: 'select 1'}", "operation 1 (sql)", "rollback"),
                Arguments.of("name: m\noperations:\n  - alter_column: {table: t, column: c, type: bigint}", "operation 1 (alter_column)", "needs 'up'"),
                Arguments.of("name: m\noperations: [ {drop_table: {table: t}", "m.yaml", ""));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void rejectsBadInputNamingFileOperationAndProblem(String yaml, String where, String problem) {
        assertThatThrownBy(() -> parse("m.yaml", yaml.replace("\\n", "\n")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageStartingWith("m.yaml: ")
                .hasMessageContaining(where)
                .hasMessageContaining(problem);
    }

    @Test
    void problemsOfTheTopLevelKeysNameTheirLine() {
        assertThatThrownBy(() -> parse("m.yaml", "# a comment\n\nname: 'bad name'\noperations:\n  - drop_table: {table: t}\n"))
                .hasMessage("m.yaml: 'name' 'bad name' may only contain letters, digits and underscores and must not "
                        + "start with a digit (line 3)");
        assertThatThrownBy(() -> parse("m.yaml", "name: m\noperations: []\n\n\n"))
                .hasMessage("m.yaml: 'operations' needs at least one operation (line 2)");
        assertThatThrownBy(() -> parse("m.yaml", "operations:\n  - drop_table: {table: t}\n"))
                .hasMessage("m.yaml: missing 'name'");
    }

    @Test
    void aYamlSyntaxErrorIsOneLineWithLineAndColumn() {
        assertThatThrownBy(() -> parse("m.yaml", "name: m\noperations:\n  - drop_table: {table: t\n"))
                .hasMessage("m.yaml: line 4, column 1: expected ',' or '}', but got <stream end> (while parsing a flow "
                        + "mapping at line 3, column 17)");
    }

    @Test
    void rejectsEmptyFile() {
        assertThatThrownBy(() -> parse("m.yaml", "")).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("m.yaml");
    }
}
