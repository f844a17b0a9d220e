package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad migration files, from the text to the database: each is refused with the right exception and a message
 * naming the file, the operation and the problem, and the catalog is exactly as before (Tandem's own state
 * tables aside). Nothing changes, so all cases share one database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final String FILE = "bad_input.yaml";
    /** A valid first operation, so a half-applied migration would show in the catalog. */
    private static final String HEAD = """
            name: bad_input
            operations:
              - add_column:
                  table: customers
                  column: {name: nickname, type: text}
            """;

    private final MigrationParser parser = new MigrationParser();
    private TestDatabase db;
    private Tandem tandem;

    @BeforeAll
    void createShop() {
        db = TestDatabase.create();
        Shop.create(db, 0, 0);
        tandem = db.tandem();
    }

    @AfterAll
    void dropShop() {
        db.close();
    }

    static Stream<Arguments> badOperations() {
        return Stream.of(
                bad("unknown operation", "- frobnicate: {table: customers}",
                        InvalidMigrationException.class, "operation 2", "unknown operation 'frobnicate'"),
                bad("unknown key", "- rename_column: {table: customers, from: phone, to: mobile, colour: red}",
                        InvalidMigrationException.class, "operation 2 (rename_column) colour", "unknown key 'colour'"),
                bad("missing field", "- rename_column: {table: customers, from: phone}",
                        InvalidMigrationException.class, "operation 2 (rename_column)", "missing 'to'"),
                bad("wrong type", "- add_column: {table: customers, column: {name: vip, type: boolean, nullable: 'yes'}}",
                        InvalidMigrationException.class, "operation 2 (add_column) column.nullable",
                        "wrong type: expected true or false"),
                bad("unknown table", "- rename_column: {table: clients, from: phone, to: mobile}",
                        InvalidMigrationException.class, "operation 2 (rename_column)", "table 'clients' does not exist"),
                bad("unknown column", "- rename_column: {table: customers, from: fax, to: mobile}",
                        InvalidMigrationException.class, "operation 2 (rename_column)",
                        "column 'fax' does not exist in table 'customers'"),
                bad("identifier with a quote and a semicolon",
                        "- rename_column: {table: customers, from: phone, to: 'mobile\"; DROP TABLE orders; --'}",
                        InvalidMigrationException.class, "operation 2 (rename_column)",
                        "may only contain letters, digits and underscores"),
                bad("type with a semicolon",
                        "- add_column: {table: customers, column: {name: vip, type: 'boolean; DROP TABLE orders'}}",
                        InvalidMigrationException.class, "operation 2 (add_column) column", "is not a type name"),
                bad("up naming an unknown column",
                        "- add_column: {table: customers, column: {name: initials, type: text}, up: 'left(given_name, 1)'}",
                        InvalidMigrationException.class, "operation 2 (add_column)",
                        "column \"given_name\" does not exist"),
                bad("up with a constant that cannot be cast",
                        "- add_column: {table: customers, column: {name: score, type: integer}, up: \"'abc'::int\"}",
                        InvalidMigrationException.class, "operation 2 (add_column)",
                        "invalid input syntax for type integer: \"abc\""),
                bad("up that fails on the table's rows",
                        "- add_column: {table: customers, column: {name: score, type: integer}, up: 'phone::int'}",
                        InvalidMigrationException.class, "operation 2 (add_column)",
                        "invalid input syntax for type integer: \"555-"),
                bad("up closing its parenthesis to add a statement",
                        "- add_column: {table: customers, column: {name: score, type: integer}, "
                                + "up: '1); DROP TABLE customers; --'}",
                        InvalidMigrationException.class, "operation 2 (add_column)", "'up' contains a comment"),
                bad("up closing its parenthesis early",
                        "- add_column: {table: customers, column: {name: score, type: integer}, up: '1) OR (1 = 1'}",
                        InvalidMigrationException.class, "operation 2 (add_column)",
                        "'up' has a ')' without a matching '('"),
                bad("up with a second statement",
                        "- add_column: {table: customers, column: {name: score, type: integer}, "
                                + "up: '1; DROP TABLE customers'}",
                        InvalidMigrationException.class, "operation 2 (add_column)", "'up' contains ';'"),
                bad("default hiding a statement in a comment",
                        "- add_column: {table: customers, column: {name: score, type: integer, "
                                + "default: '1 -- ; DROP TABLE customers'}}",
                        InvalidMigrationException.class, "operation 2 (add_column) column",
                        "'default' contains a comment"));
    }

    private static Arguments bad(String what, String operation, Class<? extends RuntimeException> type,
                                 String where, String problem) {
        return Arguments.of(what, HEAD + "  " + operation + "\n", type, where, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOperations")
    void isRefusedNamingFileOperationAndProblemAndChangesNothing(String what, String yaml,
                                                                Class<? extends RuntimeException> type,
                                                                String where, String problem) {
        List<String> before = Catalog.dump(db);
        assertThatThrownBy(() -> tandem.expand(parse(yaml))).isInstanceOf(type)
                .hasMessageStartingWith(FILE + ": " + where + ": ")
                .hasMessageContaining(problem);
        assertNothingChanged(before);
    }

    @Test
    void malformedYamlIsRefusedNamingFileAndLine() {
        List<String> before = Catalog.dump(db);
        assertThatThrownBy(() -> tandem.expand(parse(HEAD + "  - rename_column: {table: customers, from: phone\n")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageStartingWith(FILE + ": ")
                .hasMessageContaining("expected ',' or '}'")
                .hasMessageContaining("line 6");
        assertNothingChanged(before);
    }

    @Test
    void anAppliedMigrationWhoseFileChangedIsRefused() {
        Migration applied = parse(HEAD.replace("bad_input", "changed_later"));
        tandem.expand(applied);
        try {
            List<String> before = Catalog.dump(db);
            Migration changed = parse(HEAD.replace("bad_input", "changed_later").replace("type: text", "type: varchar"));
            assertThatThrownBy(() -> tandem.expand(changed)).isInstanceOf(StateConflictException.class)
                    .hasMessageStartingWith(FILE + ": migration 'changed_later' was applied from a file with "
                            + "different content");
            assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        } finally {
            tandem.rollback(applied.name());
        }
    }

    /** Keeps one case's failure from failing the cases after it. */
    @AfterEach
    void rollBackWhatACaseLeftInFlight() {
        tandem.status().stream().filter(s -> !s.phase().equals("rolled_back")).forEach(s -> tandem.rollback(s.name()));
    }

    private Migration parse(String yaml) {
        return parser.parse(FILE, yaml.getBytes(StandardCharsets.UTF_8));
    }

    private void assertNothingChanged(List<String> before) {
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        assertThat(tandem.status()).extracting(MigrationStatus::name).doesNotContain("bad_input");
    }
}
