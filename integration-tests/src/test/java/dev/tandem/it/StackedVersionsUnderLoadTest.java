package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.dualwrite.SchemaVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14's stacked versions under load, on PostgreSQL and MariaDB: three versions of an application, each with its
 * own pool, write at once while two migrations are in flight, the second stacked on the first. First on one table,
 * the second renaming the column the first added with an {@code up}; then on two different tables. Apart, the second
 * changing the type of that column, its {@code up} and {@code down} chained with the first one's. Every write a
 * version was told succeeded must read back right in every shape still live, and no statement may fail, through
 * the expands, the backfills and the contracts.
 */
@ParameterizedClass
@EnumSource(AppDatabase.Kind.class)
class StackedVersionsUnderLoadTest {
    private static final Migration TOTALS = Examples.inline("load_totals",
            "add_column: {table: stock, column: {name: total, type: integer, nullable: true}, up: qty * price}",
            "rename_column: {table: stock, from: price, to: unit_price}");
    private static final Migration AMOUNTS = Examples.inline("load_amounts",
            "rename_column: {table: stock, from: total, to: amount}");
    private static final Migration AUTHORS = Examples.inline("load_authors",
            "add_column: {table: memos, column: {name: author, type: varchar(40), nullable: true}, up: \"'anonymous'\"}");
    /** Changes the type of the column the first migration added: its up and down chain with the first one's. */
    private static final Migration WIDER = Examples.inline("load_wider",
            "alter_column: {table: stock, column: total, type: bigint, up: total, down: total}");
    private static final Migration LABELS = Examples.inline("load_labels",
            "add_column: {table: stock, column: {name: label, type: varchar(40), nullable: true}, up: \"'none'\"}");
    private static final int ACTIONS_PER_PHASE = 150;
    private static final Duration APP_TIME_LIMIT = Duration.ofSeconds(60);

    @Parameter
    AppDatabase.Kind kind;

    private final RunningApps apps = new RunningApps(3, 1);
    private final List<SimulatedApp> started = new ArrayList<>();
    /** Each acknowledged write as every shape must show it: shape, then "table id", then the row. */
    private final Map<String, Map<String, String>> expected = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1_000);
    private AppDatabase db;
    private Tandem tandem;

    @BeforeEach
    void createTables() {
        db = kind.create();
        db.statements().execute("CREATE TABLE stock (id BIGINT PRIMARY KEY, qty INT NOT NULL, price INT NOT NULL)",
                "CREATE TABLE memos (id BIGINT PRIMARY KEY, body VARCHAR(100) NOT NULL)",
                "INSERT INTO stock VALUES (1, 2, 3), (2, 4, 5)", "INSERT INTO memos VALUES (1, 'hello')");
        tandem = db.tandem(TandemConfig.builder().batchSize(10).lockTimeout(Duration.ofMillis(500))
                .afterStep(apps::letRun));
    }

    @AfterEach
    void stopAppsAndDropDatabase() throws InterruptedException {
        try {
            apps.close();
        } finally {
            db.close();
        }
    }

    @Test
    void threeVersionsWriteWhileTwoStackedMigrationsGoThroughTheirPhases() throws Exception {
        SimulatedApp base = start(SchemaVersion.BASE, stockWrites(false, "price", null));
        await(base);
        tandem.expand(TOTALS);
        SimulatedApp a = start(TOTALS.name(), stockWrites(true, "unit_price", "total"));
        await(base, a);
        tandem.backfill(TOTALS.name(), BackfillListener.NONE);
        tandem.expand(AMOUNTS);
        SimulatedApp ab = start(AMOUNTS.name(), stockWrites(true, "unit_price", "amount"));
        await(base, a, ab);
        stop(base, a, ab);
        check(Map.of(SchemaVersion.BASE, "SELECT id, qty, price FROM stock",
                TOTALS.name(), "SELECT id, qty, unit_price, total FROM stock",
                AMOUNTS.name(), "SELECT id, qty, unit_price, amount FROM stock"));

        contractInOrderWhileServedVersionsWrite(AMOUNTS, "amount");

        // on different tables: the last version is the base now
        expected.clear();
        SimulatedApp base2 = start(AMOUNTS.name(), memoWrites(false), stockOf(false));
        tandem.expand(AUTHORS);
        SimulatedApp c = start(AUTHORS.name(), memoWrites(true), stockOf(false));
        await(base2, c);
        tandem.backfill(AUTHORS.name(), BackfillListener.NONE);
        tandem.expand(LABELS);
        SimulatedApp cd = start(LABELS.name(), memoWrites(true), stockOf(true));
        await(base2, c, cd);
        tandem.backfill(LABELS.name(), BackfillListener.NONE);
        await(base2, c, cd);
        stop(base2, c, cd);
        check(Map.of(AMOUNTS.name(), "SELECT id, body FROM memos",
                AUTHORS.name(), "SELECT id, body, author FROM memos",
                LABELS.name(), "SELECT id, body, author FROM memos"));
        check(Map.of("stock " + AMOUNTS.name(), "SELECT id, qty, unit_price, amount FROM stock",
                "stock " + AUTHORS.name(), "SELECT id, qty, unit_price, amount FROM stock",
                "stock " + LABELS.name(), "SELECT id, qty, unit_price, amount, label FROM stock"));

        // the upper one contracts first: it shares no table with the one below, whose version keeps writing its own
        // table (on the upper one's table, contract leaves the versions without it behind, as any contract does)
        c = start(AUTHORS.name(), memoWrites(true));
        cd = start(LABELS.name(), memoWrites(true), stockOf(true));
        tandem.contract(LABELS.name(), InstanceCheck.FORCE);
        await(c, cd);
        stop(c);
        tandem.contract(AUTHORS.name());
        await(cd);
        stop(cd);
        check(Map.of(LABELS.name(), "SELECT id, body, author FROM memos"));
        check(Map.of("stock " + LABELS.name(), "SELECT id, qty, unit_price, amount, label FROM stock"));
        assertThat(started.stream().flatMap(app -> app.failures().stream()).toList()).as("failed statements")
                .isEmpty();
    }

    @Test
    void threeVersionsWriteWhileAStackedTypeChangeChainsItsRulesWithTheMigrationBelow() throws Exception {
        SimulatedApp base = start(SchemaVersion.BASE, stockWrites(false, "price", null));
        await(base);
        tandem.expand(TOTALS);
        SimulatedApp a = start(TOTALS.name(), stockWrites(true, "unit_price", "total"));
        await(base, a);
        tandem.backfill(TOTALS.name(), BackfillListener.NONE);
        tandem.expand(WIDER);
        tandem.backfill(WIDER.name(), BackfillListener.NONE);
        SimulatedApp ab = start(WIDER.name(), stockWrites(true, "unit_price", "total"));
        await(base, a, ab);
        stop(base, a, ab);
        check(Map.of(SchemaVersion.BASE, "SELECT id, qty, price FROM stock",
                TOTALS.name(), "SELECT id, qty, unit_price, total FROM stock",
                WIDER.name(), "SELECT id, qty, unit_price, total FROM stock"));

        contractInOrderWhileServedVersionsWrite(WIDER, "total");
        assertThat(started.stream().flatMap(app -> app.failures().stream()).toList()).as("failed statements")
                .isEmpty();
    }

    /**
     * The old version is gone: contract {@link #TOTALS}, then {@code upper} stacked on it (whose version calls its
     * total {@code total}), while the versions still served write.
     */
    private void contractInOrderWhileServedVersionsWrite(Migration upper, String total) throws Exception {
        String lowerShape = "SELECT id, qty, unit_price, total FROM stock";
        String upperShape = "SELECT id, qty, unit_price, " + total + " FROM stock";
        SimulatedApp a = start(TOTALS.name(), stockWrites(true, "unit_price", "total"));
        SimulatedApp ab = start(upper.name(), stockWrites(true, "unit_price", total));
        tandem.contract(TOTALS.name());
        await(a, ab);
        stop(a, ab);
        check(Map.of(TOTALS.name(), lowerShape, upper.name(), upperShape));
        ab = start(upper.name(), stockWrites(true, "unit_price", total));
        tandem.contract(upper.name());
        await(ab);
        stop(ab);
        check(Map.of(upper.name(), upperShape));
    }

    private void stop(SimulatedApp... running) throws InterruptedException {
        for (SimulatedApp app : running) {
            apps.stop(app);
        }
    }

    /**
     * Inserts of rows of its own, and updates of rows it inserted (by the same thread: the last acknowledged write of
     * a row is the one every shape must show). {@code total}: the column the version writes the total to, or null
     * for the version before the first migration, whose total is {@code qty * price} in the others.
     */
    private List<SimulatedApp.Action> stockWrites(boolean newer, String price, String total) {
        ThreadLocal<List<long[]>> own = ThreadLocal.withInitial(ArrayList::new);
        SimulatedApp.Action insert = (connection, random, app) -> {
            long id = ids.incrementAndGet();
            int qty = random.nextInt(1, 50);
            int unit = random.nextInt(1, 50);
            int value = total == null ? qty * unit : random.nextInt(1_000);
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO stock (id, qty, " + price
                    + (total == null ? "" : ", " + total) + ") VALUES (?, ?, ?" + (total == null ? "" : ", ?") + ")")) {
                s.setLong(1, id);
                s.setInt(2, qty);
                s.setInt(3, unit);
                if (total != null) {
                    s.setInt(4, value);
                }
                s.executeUpdate();
            }
            own.get().add(new long[] {id, qty, unit, value});
            stock(id, qty, unit, value);
        };
        SimulatedApp.Action update = (connection, random, app) -> {
            if (own.get().isEmpty()) {
                return;
            }
            long[] row = own.get().get(random.nextInt(own.get().size()));
            int qty = random.nextInt(1, 50);
            int value = total == null ? qty * (int) row[2] : random.nextInt(1_000);
            try (PreparedStatement s = connection.prepareStatement("UPDATE stock SET qty = ?"
                    + (total == null ? "" : ", " + total + " = ?") + " WHERE id = ?")) {
                s.setInt(1, qty);
                if (total != null) {
                    s.setInt(2, value);
                }
                s.setLong(total == null ? 2 : 3, row[0]);
                assertThat(s.executeUpdate()).isOne();
            }
            row[1] = qty;
            row[3] = value;
            stock(row[0], qty, (int) row[2], value);
        };
        return List.of(insert, update, read(newer ? "SELECT id, qty, " + price + ", " + total + " FROM stock"
                : "SELECT id, qty, price FROM stock"));
    }

    private void stock(long id, int qty, int unit, int total) {
        expect(SchemaVersion.BASE, "stock " + id, id + "|" + qty + "|" + unit);
        for (Migration m : List.of(TOTALS, AMOUNTS, WIDER)) {
            expect(m.name(), "stock " + id, id + "|" + qty + "|" + unit + "|" + total);
        }
    }

    /** Inserts of memos; the versions with authors name one, which the version before them does not see. */
    private List<SimulatedApp.Action> memoWrites(boolean authors) {
        SimulatedApp.Action insert = (connection, random, app) -> {
            long id = ids.incrementAndGet();
            String author = authors ? "a" + random.nextInt(100) : "anonymous";
            try (PreparedStatement s = connection.prepareStatement(authors
                    ? "INSERT INTO memos (id, body, author) VALUES (?, ?, ?)" : "INSERT INTO memos (id, body) VALUES (?, ?)")) {
                s.setLong(1, id);
                s.setString(2, "m" + id);
                if (authors) {
                    s.setString(3, author);
                }
                s.executeUpdate();
            }
            expect(AMOUNTS.name(), "memos " + id, id + "|m" + id);
            expect(AUTHORS.name(), "memos " + id, id + "|m" + id + "|" + author);
            expect(LABELS.name(), "memos " + id, id + "|m" + id + "|" + author);
        };
        return List.of(insert, read("SELECT * FROM memos"));
    }

    /** Inserts into the table of the second migration, with or without its label. */
    private SimulatedApp.Action stockOf(boolean labels) {
        return (connection, random, app) -> {
            long id = ids.incrementAndGet();
            String label = labels ? "l" + random.nextInt(100) : "none";
            try (PreparedStatement s = connection.prepareStatement(labels
                    ? "INSERT INTO stock (id, qty, unit_price, amount, label) VALUES (?, 1, 2, 3, ?)"
                    : "INSERT INTO stock (id, qty, unit_price, amount) VALUES (?, 1, 2, 3)")) {
                s.setLong(1, id);
                if (labels) {
                    s.setString(2, label);
                }
                s.executeUpdate();
            }
            for (String shape : List.of(AMOUNTS.name(), AUTHORS.name())) {
                expect("stock " + shape, "stock " + id, id + "|1|2|3");
            }
            expect("stock " + LABELS.name(), "stock " + id, id + "|1|2|3|" + label);
        };
    }

    private static SimulatedApp.Action read(String sql) {
        return (connection, random, app) -> {
            try (PreparedStatement s = connection.prepareStatement(sql + " WHERE id = 1")) {
                SimulatedApp.read(s);
            }
        };
    }

    private void expect(String shape, String key, String row) {
        expected.computeIfAbsent(shape, s -> new ConcurrentHashMap<>()).put(key, row);
    }

    private SimulatedApp start(String version, List<SimulatedApp.Action> actions, SimulatedApp.Action... more) {
        List<SimulatedApp.Action> all = new ArrayList<>(actions);
        all.addAll(List.of(more));
        SimulatedApp app = apps.start(SimulatedApp.start(version + "-version", db.pool(version, 2), 2, 100_000,
                APP_TIME_LIMIT, all));
        started.add(app);
        return app;
    }

    private static void await(SimulatedApp... running) throws InterruptedException {
        for (SimulatedApp app : running) {
            app.awaitMoreActions(ACTIONS_PER_PHASE);
        }
    }

    /**
     * Every acknowledged write as each shape shows it, read through the version's own pool, against what it must
     * show. A shape's name is its version's, or "stock " and the version's for the second migration's table.
     */
    private void check(Map<String, String> shapes) throws SQLException {
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            String version = shape.getKey().replace("stock ", "");
            String table = shape.getValue().replaceAll(".* FROM (\\w+).*", "$1");
            Map<String, String> rows = new TreeMap<>();
            try (Connection c = db.pool(version, 1).getConnection();
                 PreparedStatement s = c.prepareStatement(shape.getValue() + " WHERE id > 1000");
                 ResultSet r = s.executeQuery()) {
                int n = r.getMetaData().getColumnCount();
                while (r.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        row.append(i > 1 ? "|" : "").append(r.getString(i));
                    }
                    rows.put(table + " " + r.getLong(1), row.toString());
                }
            }
            Map<String, String> wanted = new TreeMap<>();
            expected.getOrDefault(shape.getKey(), Map.of()).forEach((key, row) -> {
                if (key.startsWith(table + " ")) {
                    wanted.put(key, row);
                }
            });
            assertThat(wanted).as("acknowledged writes of %s", shape.getKey()).isNotEmpty();
            List<String> wrong = new ArrayList<>();
            wanted.forEach((key, row) -> {
                if (!row.equals(rows.get(key))) {
                    wrong.add(key + ": written " + row + ", read " + rows.get(key));
                }
            });
            assertThat(wrong).as("acknowledged writes of %s as version %s shows them (of %s)", table, version,
                    wanted.size()).isEmpty();
        }
    }
}
