package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.dualwrite.SchemaVersion;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12's promise under load, on PostgreSQL and on MariaDB: while {@code product_listing} (a type change, a
 * rename, a required unique column, a foreign key) goes expand → backfill → contract, or expand → rollback, an
 * old and a new version of an application, each with its own pool, insert products, update them (rows the
 * backfill has not reached yet, and filled ones, absolutely and relative to what they hold) and delete them.
 * Every write a version was told succeeded goes into a {@link Ledger}; at the end every live shape is read row by
 * row and must hold exactly what the ledger says. No statement may fail, except the documented loud refusals,
 * which are counted apart: a NULL in the new version's required column, and a new-version update that computes
 * from the NULL it reads on a row the backfill has not reached.
 *
 * <p>The versions keep the deploy order Tandem assumes for contract and rollback: the old version stops before
 * contract, the new one before rollback. The new version starts right after expand, before the backfill, as an
 * application that opted in to an early start would (its pool is pinned to the version without the start-up
 * guard): that is where its writes meet unfilled rows. The counts per phase are printed with each run.
 */
@ParameterizedClass
@EnumSource(AppDatabase.Kind.class)
class NoWriteLostUnderLoadTest {
    private static final String MIGRATION = "product_listing";
    private static final int EXTRA_PRODUCTS = 2_000;
    private static final int ACTIONS_PER_PHASE = 300;
    private static final int ACTIONS_BETWEEN_STEPS = 5;
    private static final int BATCHES_BETWEEN_PAUSES = 2;
    private static final int ACTIONS_PER_THREAD = 100_000;
    private static final Duration APP_TIME_LIMIT = Duration.ofSeconds(120);
    private static final Predicate<SQLException> NO_REFUSAL = e -> false;
    private static final String NOT_BACKFILLED = "expanded, not backfilled";

    @Parameter
    AppDatabase.Kind kind;

    private final RunningApps apps = new RunningApps(ACTIONS_BETWEEN_STEPS, BATCHES_BETWEEN_PAUSES);
    private final List<SimulatedApp> started = new ArrayList<>();
    private AppDatabase db;
    private Ledger ledger;
    private Tandem tandem;
    private boolean summarized;

    @BeforeEach
    void createShop() throws SQLException {
        db = kind.create();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO products (sku, title, price, legacy_code) VALUES (?, ?, ?, ?)")) {
            for (int i = 1; i <= EXTRA_PRODUCTS; i++) {
                s.setString(1, "BULK-" + i);
                s.setString(2, "Bulk product " + i);
                s.setBigDecimal(3, BigDecimal.valueOf(i % 10_000 * 37L, 2));
                s.setString(4, "L-BULK-" + i);
                s.addBatch();
            }
            s.executeBatch();
            ledger = Ledger.of(c);
        }
        tandem = db.tandem(TandemConfig.builder().batchSize(100).lockTimeout(Duration.ofMillis(200))
                .afterStep(apps::letRun));
    }

    @AfterEach
    void stopAppsAndDropDatabase() throws InterruptedException {
        try {
            apps.close();
            if (!summarized) {
                System.out.println(MIGRATION + " on " + kind + " stopped early; statements per phase (kind: changed a "
                        + "row, found none, refused as documented, failed):\n" + ledger.report());
            }
        } finally {
            db.close();
        }
    }

    @Test
    void expandBackfillContract() throws Exception {
        SimulatedApp oldApp = start("old", SchemaVersion.BASE, 3, oldVersion());
        SimulatedApp newApp = expandUnderLoad(oldApp);
        ledger.phase("backfill");
        tandem.backfill(MIGRATION, BackfillListener.NONE);
        ledger.phase("backfilled");
        awaitActions(oldApp, newApp);
        apps.stop(oldApp);
        apps.stop(newApp);
        List<Ledger.Difference> beforeContract = differences(true, true);

        ledger.phase("contract");
        SimulatedApp newAfterRestart = start("new", MIGRATION, 2, newVersion());
        tandem.contract(MIGRATION);
        ledger.phase("complete");
        awaitActions(newAfterRestart);
        apps.stop(newAfterRestart);
        List<Ledger.Difference> afterContract = differences(false, true);

        assertEveryWriteKept(beforeContract, afterContract);
        assertThat(db.phase(MIGRATION)).isEqualTo("complete");
    }

    @Test
    void expandRollback() throws Exception {
        SimulatedApp oldApp = start("old", SchemaVersion.BASE, 3, oldVersion());
        SimulatedApp newApp = expandUnderLoad(oldApp);
        apps.stop(newApp);

        ledger.phase("rollback");
        tandem.rollback(MIGRATION);
        ledger.phase("rolled back");
        awaitActions(oldApp);
        apps.stop(oldApp);

        assertEveryWriteKept(List.of(), differences(true, false));
        assertThat(db.phase(MIGRATION)).isEqualTo("rolled_back");
    }

    /** Expands while the old version writes, then starts the new version before the backfill; both run a while. */
    private SimulatedApp expandUnderLoad(SimulatedApp oldApp) throws InterruptedException {
        oldApp.awaitMoreActions(100);
        ledger.phase("expand");
        tandem.expand(db.migration(MIGRATION));
        ledger.phase(NOT_BACKFILLED);
        SimulatedApp newApp = start("new", MIGRATION, 2, newVersion());
        awaitActions(oldApp, newApp);
        return newApp;
    }

    private SimulatedApp start(String name, String version, int threads, List<SimulatedApp.Action> actions) {
        SimulatedApp app = apps.start(SimulatedApp.start(name + "-version", db.pool(version, threads), threads,
                ACTIONS_PER_THREAD, APP_TIME_LIMIT, actions));
        started.add(app);
        return app;
    }

    private void awaitActions(SimulatedApp... running) throws InterruptedException {
        for (SimulatedApp app : running) {
            app.awaitMoreActions(ACTIONS_PER_PHASE);
        }
    }

    /** The products as each live shape shows them, against the ledger. */
    private List<Ledger.Difference> differences(boolean oldShape, boolean newShape) throws SQLException {
        try (Connection old = oldShape ? db.pool(SchemaVersion.BASE, 1).getConnection() : null;
             Connection current = newShape ? db.pool(MIGRATION, 1).getConnection() : null) {
            return ledger.differences(old, current);
        }
    }

    /**
     * Prints and asserts the outcome. The assertions' descriptions carry the counts, so that a failing run shows
     * them on the console too; every difference, row by row, is in the test's output.
     */
    private void assertEveryWriteKept(List<Ledger.Difference> beforeLastStep, List<Ledger.Difference> atTheEnd) {
        List<String> failures = started.stream().flatMap(app -> app.failures().stream()).toList();
        String summary = MIGRATION + " on " + kind + ": " + failures.size() + " failed statements, "
                + beforeLastStep.size() + " writes lost or changed in the shapes before the last step, "
                + atTheEnd.size() + " at the end"
                + tally("failed statements", failures.stream().map(failure -> failure.substring(failure.indexOf(": ")
                        + 2).replaceAll("\\(conn=\\d+\\) ", "").replaceAll("tandem_test_\\w+?__", "<database>__")))
                + tally("lost or changed before the last step", beforeLastStep.stream()
                        .map(d -> "the " + d.version() + " version: " + d.what()))
                + tally("lost or changed at the end", atTheEnd.stream()
                        .map(d -> "the " + d.version() + " version: " + d.what()))
                + "\n statements per phase (kind: changed a row, found none, refused as documented, failed):\n"
                + ledger.report();
        summarized = true;
        System.out.println(summary + Stream.concat(beforeLastStep.stream(), atTheEnd.stream()).map(d -> "\n  " + d)
                .reduce("", String::concat));
        assertThat(failures).as("failed statements (other than the documented refusals) in %s", summary).isEmpty();
        assertThat(beforeLastStep).as("writes lost or changed, in the shapes before the last step, in %s", summary)
                .isEmpty();
        assertThat(atTheEnd).as("writes lost or changed, at the end, in %s", summary).isEmpty();
        for (String version : List.of("old", "new")) {
            assertThat(ledger.total(NOT_BACKFILLED, version, "ok"))
                    .as("statements of the %s version that changed a row before the backfill", version).isPositive();
        }
    }

    /** How often each line occurs, most frequent first, under a heading. */
    private static String tally(String heading, Stream<String> lines) {
        Map<String, Long> counts = lines.collect(Collectors.groupingBy(line -> line, TreeMap::new,
                Collectors.counting()));
        return counts.isEmpty() ? "" : "\n " + heading + ":" + counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> "\n  " + e.getValue() + " x " + e.getKey()).reduce("", String::concat);
    }

    /**
     * The new version holds {@code code} NOT NULL from expand on: a NULL in it fails loudly, through the NOT VALID
     * check (PostgreSQL) or the sync trigger (MariaDB) until contract, and through the column afterwards.
     */
    private static boolean refusesNullCode(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23") && e.getMessage().contains("code");
    }

    /**
     * On a row the backfill has not reached, the new version reads NULL in {@code price_cents}, and an update that
     * computes from it is refused with NOT NULL's error and the reason, rather than filled from {@code up} (which
     * would drop its raise) — the documented loud failure of a new version that opted in to start early.
     */
    private static boolean refusesUnfilledPrice(SQLException e) {
        return e.getSQLState() != null && List.of("23502", "23000", "55000", "45000").contains(e.getSQLState())
                && e.getMessage().contains("price_cents") && e.getMessage().contains("backfill has not reached this row");
    }

    /** The old version: prices in numeric units, under {@code price}; knows nothing of code and seller. */
    private List<SimulatedApp.Action> oldVersion() {
        return List.of(
                (c, random, app) -> {
                    long cents = random.nextLong(100, 1_000_000);
                    String sku = ledger.unique("OLD-");
                    ledger.insert("old", "insert", () -> insert(c, "INSERT INTO products (sku, title, price, "
                                    + "legacy_code) VALUES (?, 'old product', ?, 'old') RETURNING id", sku,
                                    BigDecimal.valueOf(cents, 2)),
                            new Ledger.Product(cents, sku, Ledger.derivedCode(sku), null, null));
                },
                update("old", "set price", "UPDATE products SET price = ? WHERE id = ?", random -> {
                    long cents = random.nextLong(100, 1_000_000);
                    return new Edit(p -> p.cents(cents), NO_REFUSAL, BigDecimal.valueOf(cents, 2));
                }),
                update("old", "raise price", "UPDATE products SET price = price + 0.25 WHERE id = ?",
                        random -> new Edit(p -> p.cents(p.cents() + 25), NO_REFUSAL)),
                update("old", "set sku", "UPDATE products SET sku = ? WHERE id = ?", random -> {
                    String sku = ledger.unique("OLD-");
                    return new Edit(p -> p.sku(sku), NO_REFUSAL, sku);
                }),
                // a column no rule reads: the triggers must leave what the other version wrote alone
                update("old", "set title", "UPDATE products SET title = 'retitled by the old version' WHERE id = ?",
                        random -> new Edit(p -> p, NO_REFUSAL)),
                delete("old"),
                (c, random, app) -> ledger.read("old", "read", () -> read(c, "SELECT id, sku, price FROM products "
                        + "WHERE id = ?", ledger.anyRow(random))));
    }

    /** The new version: prices in cents under {@code price_cents}, a code it must give, and a seller. */
    private List<SimulatedApp.Action> newVersion() {
        return List.of(
                (c, random, app) -> {
                    long cents = random.nextLong(100, 1_000_000);
                    String sku = ledger.unique("NEW-");
                    String code = ledger.unique("N-");
                    long seller = 1 + random.nextLong(200);
                    ledger.insert("new", "insert", () -> insert(c, "INSERT INTO products (sku, title, price_cents, "
                                    + "code, seller_id) VALUES (?, 'new product', ?, ?, ?) RETURNING id", sku, cents,
                                    code, seller),
                            new Ledger.Product(cents, sku, code, seller, null));
                },
                update("new", "set price", "UPDATE products SET price_cents = ? WHERE id = ?", random -> {
                    long cents = random.nextLong(100, 1_000_000);
                    return new Edit(p -> p.cents(cents), NO_REFUSAL, cents);
                }),
                // relative to what the row holds: on a row the backfill has not reached, price_cents is NULL
                update("new", "raise price", "UPDATE products SET price_cents = price_cents + 10 WHERE id = ?",
                        random -> new Edit(p -> p.cents(p.cents() + 10),
                                NoWriteLostUnderLoadTest::refusesUnfilledPrice)),
                update("new", "set code", "UPDATE products SET code = ? WHERE id = ?", random -> {
                    String code = ledger.unique("C-");
                    return new Edit(p -> p.code(code), NO_REFUSAL, code);
                }),
                update("new", "set NULL code", "UPDATE products SET code = NULL WHERE id = ?",
                        random -> new Edit(p -> p.code(null), NoWriteLostUnderLoadTest::refusesNullCode)),
                update("new", "set seller", "UPDATE products SET seller_id = ? WHERE id = ?", random -> {
                    long seller = 1 + random.nextLong(200);
                    return new Edit(p -> p.seller(seller), NO_REFUSAL, seller);
                }),
                delete("new"),
                (c, random, app) -> ledger.read("new", "read", () -> read(c, "SELECT id, sku, price_cents, code, "
                        + "seller_id FROM products WHERE id = ?", ledger.anyRow(random))));
    }

    /** What one update writes: its parameters before the id, and how it changes the product in the ledger. */
    private record Edit(UnaryOperator<Ledger.Product> change, Predicate<SQLException> refusal, Object... parameters) {
    }

    /** An update of any product, perhaps deleted since: {@code sql} ends with {@code WHERE id = ?}. */
    private SimulatedApp.Action update(String version, String kind, String sql,
                                       Function<ThreadLocalRandom, Edit> edit) {
        return (c, random, app) -> {
            long id = ledger.anyRow(random);
            Edit e = edit.apply(random);
            Object[] parameters = Arrays.copyOf(e.parameters(), e.parameters().length + 1);
            parameters[parameters.length - 1] = id;
            ledger.update(version, kind, id, () -> update(c, sql, parameters), e.change(), e.refusal());
        };
    }

    private SimulatedApp.Action delete(String version) {
        return (c, random, app) -> {
            long id = ledger.deletableRow(random);
            ledger.update(version, "delete", id, () -> update(c, "DELETE FROM products WHERE id = ?", id), p -> null,
                    NO_REFUSAL);
        };
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... parameters) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            s.setObject(i + 1, parameters[i]);
        }
        return s;
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, parameters)) {
            return s.executeUpdate();
        }
    }

    private static long insert(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, parameters); ResultSet id = s.executeQuery()) {
            id.next();
            return id.getLong(1);
        }
    }

    private static int read(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, id)) {
            SimulatedApp.read(s);
            return 1;
        }
    }
}
