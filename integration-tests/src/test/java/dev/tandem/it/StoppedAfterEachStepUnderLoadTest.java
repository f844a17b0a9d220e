package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.SimulatedCrash;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Contract and rollback stopped after each of their steps in turn, and run again while the version that stays
 * keeps inserting, updating and reading: that version never sees a failed statement, whatever state the stop
 * left (issue 12). The migration changes a type (of a NOT NULL column), renames a column, adds a required column
 * and adds a column with a foreign key. Each write sets {@code qty} and a note {@code <version>:<qty>} in one
 * statement, so the rows can be checked whole at the end.
 */
class StoppedAfterEachStepUnderLoadTest {
    private static final int SEEDED = 200;
    private static final int ACTIONS_BETWEEN_RUNS = 10;
    private static final int ACTIONS_PER_THREAD = 100_000;
    private static final Duration APP_TIME_LIMIT = Duration.ofSeconds(120);
    private static final Migration MIGRATION = Examples.inline("reshape_items",
            "alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty}",
            "rename_column: {table: items, from: note, to: memo}",
            "add_column: {table: items, column: {name: code, type: varchar(20), nullable: false}, up: \"COALESCE(note, '-')\"}",
            "add_column: {table: items, column: {name: parent_id, type: bigint, references: {table: parents, column: id}}}");

    /** The test's tables, besides the shop's, in each server's SQL. */
    private static void createItems(AppDatabase.Kind kind, StatementsAsVersion db) {
        db.execute("CREATE TABLE parents (id BIGINT PRIMARY KEY)", "INSERT INTO parents VALUES (1), (2)");
        if (kind == AppDatabase.Kind.POSTGRESQL) {
            db.execute("CREATE TABLE items (id bigserial PRIMARY KEY, qty integer NOT NULL, note varchar(40))",
                    "INSERT INTO items (qty, note) SELECT n, 'seed:' || n FROM generate_series(1, " + SEEDED + ") n");
        } else {
            db.execute("CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(40))",
                    "INSERT INTO items (qty, note) SELECT seq, CONCAT('seed:', seq) FROM seq_1_to_" + SEEDED);
        }
    }

    private final RunningApps apps = new RunningApps(0, 1);
    private AppDatabase database;

    @AfterEach
    void stopAppsAndDropDatabase() throws InterruptedException {
        apps.close();
        if (database != null) {
            database.close();
        }
    }

    private Tandem create(AppDatabase.Kind kind, SimulatedCrash.EachStep crashes) {
        database = kind.create();
        createItems(kind, database.statements());
        return database.tandem(TandemConfig.builder().lockTimeout(Duration.ofMillis(200)).afterStep(crashes));
    }

    @ParameterizedTest
    @EnumSource(AppDatabase.Kind.class)
    void theNewVersionNeverFailsWhileAContractStoppedAfterEachStepIsRunAgain(AppDatabase.Kind kind) throws Exception {
        SimulatedCrash.EachStep crashes = new SimulatedCrash.EachStep("contract");
        Tandem tandem = create(kind, crashes);
        tandem.expand(MIGRATION);
        String version = tandem.status().get(0).versionSchema();
        SimulatedApp newApp = apps.start(SimulatedApp.start("new-app", database.pool(MIGRATION.name(), 2), 2,
                ACTIONS_PER_THREAD, APP_TIME_LIMIT, newVersion()));
        tandem.backfill(MIGRATION.name(), BackfillListener.NONE);
        newApp.awaitMoreActions(ACTIONS_BETWEEN_RUNS);

        List<String> steps = crashes.untilDone(() -> tandem.contract(MIGRATION.name()), letRun(newApp));
        newApp.awaitMoreActions(ACTIONS_BETWEEN_RUNS);
        apps.stop(newApp);

        assertThat(steps).as("steps contract stopped after").isNotEmpty();
        assertThat(newApp.failures()).as("failed statements of the new version").isEmpty();
        assertThat(tandem.status().get(0).phase()).isEqualTo("complete");
        StatementsAsVersion db = database.statements();
        assertThat(db.value(version, "SELECT COUNT(*) FROM items WHERE memo <> CONCAT(SUBSTRING(memo, 1, 4), qty)"
                + " AND memo LIKE 'new:%' OR memo LIKE 'seed:%' AND memo <> CONCAT('seed:', qty)"))
                .as("rows whose qty is not the one their last writer gave them").isEqualTo("0");
        Set<Long> inserted = newApp.inserted("items");
        assertThat(inserted).isNotEmpty();
        assertThat(db.value(version, "SELECT COUNT(*) FROM items WHERE code = 'new' AND parent_id IS NOT NULL AND id IN ("
                + inserted.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")"))
                .as("rows the new version inserted").isEqualTo(String.valueOf(inserted.size()));
        assertThat(db.value(version, "SELECT COUNT(*) FROM items WHERE code IS NULL")).isEqualTo("0");
    }

    @ParameterizedTest
    @EnumSource(AppDatabase.Kind.class)
    void theOldVersionNeverFailsWhileARollbackStoppedAfterEachStepIsRunAgain(AppDatabase.Kind kind) throws Exception {
        SimulatedCrash.EachStep crashes = new SimulatedCrash.EachStep("rollback");
        Tandem tandem = create(kind, crashes);
        SimulatedApp oldApp = apps.start(SimulatedApp.start("old-app", database.pool(), 2,
                ACTIONS_PER_THREAD, APP_TIME_LIMIT, oldVersion()));
        tandem.expand(MIGRATION);
        tandem.backfill(MIGRATION.name(), BackfillListener.NONE);
        oldApp.awaitMoreActions(ACTIONS_BETWEEN_RUNS);

        List<String> steps = crashes.untilDone(() -> tandem.rollback(MIGRATION.name()), letRun(oldApp));
        oldApp.awaitMoreActions(ACTIONS_BETWEEN_RUNS);
        apps.stop(oldApp);

        assertThat(steps).as("steps rollback stopped after").isNotEmpty();
        assertThat(oldApp.failures()).as("failed statements of the old version").isEmpty();
        assertThat(tandem.status().get(0).phase()).isEqualTo("rolled_back");
        StatementsAsVersion db = database.statements();
        assertThat(db.value("SELECT COUNT(*) FROM items WHERE note <> CONCAT(SUBSTRING(note, 1, 4), qty)"
                + " AND note LIKE 'old:%' OR note LIKE 'seed:%' AND note <> CONCAT('seed:', qty)"))
                .as("rows whose qty is not the one their last writer gave them").isEqualTo("0");
        Set<Long> inserted = oldApp.inserted("items");
        assertThat(inserted).isNotEmpty();
        assertThat(db.value("SELECT COUNT(*) FROM items WHERE id IN ("
                + inserted.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")"))
                .as("rows the old version inserted").isEqualTo(String.valueOf(inserted.size()));
    }

    /** Between a stopped run and the next, the app runs on for a while, as it would until someone reruns. */
    private static Consumer<String> letRun(SimulatedApp app) {
        return step -> {
            try {
                app.awaitMoreActions(ACTIONS_BETWEEN_RUNS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }

    private static List<SimulatedApp.Action> newVersion() {
        return version("new", "memo", ", code, parent_id", ", 'new', 1", ", parent_id = 2");
    }

    private static List<SimulatedApp.Action> oldVersion() {
        return version("old", "note", "", "", "");
    }

    /**
     * One version's statements: {@code noteColumn} is what it calls the note; {@code columns} and {@code values} are
     * more columns its inserts set, {@code set} more its updates set.
     */
    private static List<SimulatedApp.Action> version(String name, String noteColumn, String columns, String values,
                                                     String set) {
        return List.of(
                (c, random, app) -> {
                    int qty = random.nextInt(1_000_000);
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO items (qty, " + noteColumn + columns
                            + ") VALUES (?, ?" + values + ") RETURNING id")) {
                        s.setInt(1, qty);
                        s.setString(2, name + ":" + qty);
                        app.insert(s, "items");
                    }
                },
                (c, random, app) -> {
                    int qty = random.nextInt(1_000_000);
                    try (PreparedStatement s = c.prepareStatement("UPDATE items SET qty = ?, " + noteColumn + " = ?"
                            + set + " WHERE id = ?")) {
                        s.setInt(1, qty);
                        s.setString(2, name + ":" + qty);
                        s.setLong(3, app.anyRow("items", SEEDED, random));
                        s.executeUpdate();
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("SELECT id, qty, " + noteColumn + columns
                            + " FROM items WHERE id = ?")) {
                        s.setLong(1, app.anyRow("items", SEEDED, random));
                        SimulatedApp.read(s);
                    }
                });
    }
}
