package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.AccountWrites;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.SimulatedCrash;
import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.TestTemplate;

/**
 * alter_column on a primary key that two other tables reference: int to bigint, the classic overflow fix. The key and
 * both referencing columns get shadows; contract swaps the primary key, hands the sequence over and rebuilds the
 * foreign keys.
 */
@BothDatabases
class AlterPrimaryKeyTest {
    private static final Migration WIDEN = Examples.migration("keys", "alter_column_primary_key.yaml");
    /** The example's schema (200 accounts) with this many more accounts, orders and payments. */
    private static final int ROWS = 20_000;
    private static final String[] MORE_ROWS = {
            "INSERT INTO accounts (name) SELECT 'account ' || g FROM generate_series(201, " + ROWS + ") AS g",
            "INSERT INTO orders (account_id, note) SELECT 1 + g % " + ROWS + ", 'order ' || g"
                    + " FROM generate_series(501, " + ROWS + ") AS g",
            "INSERT INTO payments (account_id, amount) SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + g % " + ROWS
                    + " END, g FROM generate_series(501, " + ROWS + ") AS g"};

    @TestTemplate
    void widensAKeyTwoTablesReferenceAndRollsBackToTheExactCatalog(OnDatabase on) throws Exception {
        on.postgres(pg -> Cycle.on(pg, pg::tandem, Catalog::dump).setup(Examples.schema("accounts.sql"))
                .setup(MORE_ROWS).migration(WIDEN)
                .whileExpanded((db, v) -> {
                    String newVersion = v + ", public";
                    db.execute("INSERT INTO accounts (name) VALUES ('old')",
                            "INSERT INTO orders (account_id, note) SELECT id, 'old' FROM accounts WHERE name = 'old'");
                    db.executeIn(newVersion, "INSERT INTO accounts (name) VALUES ('new')",
                            "INSERT INTO payments (account_id, amount) SELECT id, 7 FROM accounts WHERE name = 'new'");
                    assertThat(db.rows(newVersion, "SELECT o.note FROM orders o JOIN accounts a ON a.id = o.account_id"
                            + " WHERE a.name = 'old'")).containsExactly("old");
                    assertThat(db.rows("SELECT p.amount FROM payments p JOIN accounts a ON a.id = p.account_id"
                            + " WHERE a.name = 'new'")).containsExactly("7");
                    assertThat(db.rows(newVersion, "SELECT data_type FROM information_schema.columns WHERE"
                            + " table_schema = '" + v + "' AND table_name = 'accounts' AND column_name = 'id'"))
                            .containsExactly("bigint");
                    db.execute("DELETE FROM orders WHERE note = 'old'", "DELETE FROM payments WHERE amount = 7",
                            "DELETE FROM accounts WHERE name IN ('old', 'new')");
                }).afterContract((db, v) -> {
                    assertThat(db.rows("SELECT table_name, data_type, column_default FROM information_schema.columns"
                            + " WHERE table_schema = 'public' AND (column_name = 'account_id'"
                            + " OR column_name = 'id' AND table_name IN ('accounts', 'payments'))"
                            + " ORDER BY table_name, column_name")).containsExactly(
                            "accounts|bigint|nextval('accounts_id_seq'::regclass)", "orders|bigint|null",
                            "payments|bigint|null", "payments|integer|nextval('payments_id_seq'::regclass)");
                    assertThat(db.rows("SELECT conrelid::regclass || ' ' || conname || ' ' || contype::text || ' '"
                            + " || convalidated || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                            + " WHERE conrelid IN ('accounts'::regclass, 'orders'::regclass, 'payments'::regclass)"
                            + " AND contype IN ('p', 'f') ORDER BY 1")).containsExactly(
                            "accounts accounts_pkey p true PRIMARY KEY (id)",
                            "orders orders_account_id_fkey f true FOREIGN KEY (account_id) REFERENCES accounts(id)",
                            "orders orders_pkey p true PRIMARY KEY (id)",
                            "payments payments_account_id_fkey f true FOREIGN KEY (account_id) REFERENCES"
                                    + " accounts(id) ON DELETE CASCADE",
                            "payments payments_pkey p true PRIMARY KEY (id)");
                    assertThat(db.value("SELECT pg_get_serial_sequence('accounts', 'id')"))
                            .isEqualTo("public.accounts_id_seq");
                    assertThat(db.rows("SELECT indexdef FROM pg_indexes WHERE tablename = 'orders' ORDER BY 1"))
                            .containsExactly("CREATE INDEX orders_account_idx ON public.orders USING btree (account_id)",
                                    "CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)");
                    pastTwoToThe31(db, v + ", public");
                }).run());
        on.mariaDb(maria -> Cycle.on(maria).setup(Examples.schema("accounts-mariadb.sql"))
                .migration(WIDEN).refused("alter_column_primary_key.yaml: operation 1 (alter_column)",
                        "is the primary key and an AUTO_INCREMENT column",
                        "assigned after BEFORE INSERT triggers run"));
    }

    /**
     * The old version (the tables) and the new one (its views) insert accounts, orders and payments without pause while
     * expand, backfill and contract run; contract is stopped after each of its steps and run again.
     */
    @TestTemplate
    void bothVersionsWriteEveryTableThroughoutWithoutAFailedStatement(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            pg.execute(Examples.schema("accounts.sql"));
            pg.execute(MORE_ROWS);
            SimulatedCrash.EachStep crashes = new SimulatedCrash.EachStep("contract");
            Tandem tandem = pg.tandem(TandemConfig.builder().afterStep(crashes).build());
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger writes = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            writers.add(writer(pg, null, "old", stop, writes, failures));
            tandem.expand(WIDEN);
            String version = tandem.status().get(0).versionSchema();
            writers.add(writer(pg, version + ", public", "new", stop, writes, failures));
            tandem.backfill(WIDEN.name(), BackfillListener.NONE);
            List<String> steps = crashes.untilDone(() -> tandem.contract(WIDEN.name()), step -> { });
            int before = writes.get();
            while (writes.get() < before + 20 && failures.isEmpty()) {
                Thread.onSpinWait();
            }
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }

            assertThat(failures).as("failed statements").isEmpty();
            assertThat(steps).as("contract's steps").hasSizeGreaterThan(2);
            assertThat(pg.value("SELECT count(*) FROM accounts WHERE name LIKE 'old %'")).isNotEqualTo("0");
            assertThat(pg.value("SELECT count(*) FROM accounts WHERE name LIKE 'new %'")).isNotEqualTo("0");
            assertThat(pg.value("SELECT count(*) FROM orders o LEFT JOIN accounts a ON a.id = o.account_id"
                    + " WHERE a.id IS NULL")).isEqualTo("0");
            assertThat(pg.value("SELECT count(*) FROM orders WHERE note LIKE 'old %' OR note LIKE 'new %'"))
                    .isEqualTo(pg.value("SELECT count(*) FROM accounts WHERE name LIKE 'old %' OR name LIKE 'new %'"));
            assertThat(pg.value("SELECT bool_and(convalidated) FROM pg_constraint WHERE contype = 'f'"
                    + " AND confrelid = 'accounts'::regclass")).isEqualTo("t");
            pastTwoToThe31(pg, version + ", public");
        });
        // refused before anything changes: see widensAKeyTwoTablesReferenceAndRollsBackToTheExactCatalog
        on.mariaDb(maria -> { });
    }

    /** An identity key: contract moves the identity, its kind and its sequence's position and name to the new column. */
    @TestTemplate
    void widensAnIdentityKey(OnDatabase on) throws Exception {
        on.postgres(pg -> Cycle.on(pg, pg::tandem, Catalog::dump).setup(
                        "CREATE TABLE accounts (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)",
                        "CREATE TABLE orders (id serial PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id),"
                                + " note text)",
                        "CREATE TABLE payments (id serial PRIMARY KEY, account_id integer REFERENCES accounts (id),"
                                + " amount integer)",
                        "INSERT INTO accounts (name) SELECT 'account ' || g FROM generate_series(1, 100) AS g",
                        "INSERT INTO orders (account_id) SELECT g FROM generate_series(1, 100) AS g")
                .migration(WIDEN).whileExpanded((db, v) -> {
                    db.execute("INSERT INTO accounts (name) VALUES ('old')");
                    db.executeIn(v + ", public", "INSERT INTO accounts (name) VALUES ('new')",
                            "INSERT INTO orders (account_id, note) SELECT id, 'new' FROM accounts WHERE name = 'new'");
                    assertThat(db.rows("SELECT count(DISTINCT id) FROM accounts WHERE name IN ('old', 'new')"))
                            .containsExactly("2");
                    db.execute("DELETE FROM orders WHERE note = 'new'", "DELETE FROM accounts WHERE name IN ('old', 'new')");
                }).afterContract((db, v) -> {
                    assertThat(db.rows("SELECT a.attidentity, format_type(a.atttypid, a.atttypmod),"
                            + " pg_get_serial_sequence('accounts', 'id'), s.seqtypid::regtype FROM pg_attribute a"
                            + " JOIN pg_sequence s ON s.seqrelid = pg_get_serial_sequence('accounts', 'id')::regclass"
                            + " WHERE a.attrelid = 'accounts'::regclass AND a.attname = 'id'"))
                            .containsExactly("a|bigint|public.accounts_id_seq|bigint");
                    assertThat(db.value("SELECT last_value >= (SELECT max(id) FROM accounts) FROM accounts_id_seq"))
                            .as("the sequence goes on from where the old one was").isEqualTo("t");
                    pastTwoToThe31(db, v + ", public");
                }).run());
        on.mariaDb(maria -> { });
    }

    /** A rollback stopped after each of its steps and run again still ends with the exact catalog. */
    @TestTemplate
    void aRollbackStoppedAfterEachStepEndsWithTheExactCatalog(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            pg.execute(Examples.schema("accounts.sql"));
            List<String> before = Catalog.dump(pg);
            SimulatedCrash.EachStep crashes = new SimulatedCrash.EachStep("rollback");
            Tandem tandem = pg.tandem(TandemConfig.builder().afterStep(crashes).build());
            tandem.expand(WIDEN);
            tandem.backfill(WIDEN.name(), BackfillListener.NONE);
            List<String> steps = crashes.untilDone(() -> tandem.rollback(WIDEN.name()), step -> {
                pg.execute("INSERT INTO accounts (name) VALUES ('during rollback')",
                        "INSERT INTO orders (account_id) SELECT max(id) FROM accounts");
            });
            assertThat(steps).as("rollback's steps").isNotEmpty();
            pg.execute("DELETE FROM orders WHERE note IS NULL", "DELETE FROM accounts WHERE name = 'during rollback'",
                    "SELECT setval('accounts_id_seq', 200)");
            assertThat(Catalog.dump(pg)).containsExactlyElementsOf(before);
        });
        on.mariaDb(maria -> { });
    }

    @TestTemplate
    void refusesWhatItCannotCarryOver(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.on(pg, pg::tandem, Catalog::dump).setup(
                            "CREATE TABLE accounts (id serial PRIMARY KEY)",
                            "CREATE TABLE orders (id serial PRIMARY KEY,"
                                    + " account_id integer REFERENCES accounts (id) ON UPDATE CASCADE)")
                    .migration(WIDEN).refused("foreign key 'orders_account_id_fkey' of table 'orders' is ON UPDATE"
                            + " CASCADE");
            Cycle.on(pg, pg::tandem, Catalog::dump)
                    .setup("DROP TABLE orders, accounts", "CREATE TABLE accounts (id serial PRIMARY KEY, name text)")
                    .inline("key_and_name", "alter_column: {table: accounts, column: id, type: bigint, up: id,"
                            + " down: id, nullable: true}")
                    .refused("alter_column changes only its type");
            // a foreign key the same migration adds to the key, in either order: created before the key's unique
            // index over its shadow exists, or left referencing the column contract drops
            String widen = "alter_column: {table: accounts, column: id, type: bigint, up: id, down: id}";
            String giftCards = "create_table: {table: gift_cards, columns: [{name: id, type: bigserial, primary_key:"
                    + " true}, {name: account_id, type: bigint, references: {table: accounts, column: id}}]}";
            Cycle.on(pg, pg::tandem, Catalog::dump).inline("widen_then_refer", widen, giftCards)
                    .refused("operation 2 (create_table)", "references 'accounts.id', which an earlier operation of this"
                            + " migration adds or changes");
            Cycle.on(pg, pg::tandem, Catalog::dump).inline("refer_then_widen", giftCards, widen)
                    .refused("operation 2 (alter_column)", "a foreign key an earlier operation of this migration adds"
                            + " references it");
            Cycle.on(pg, pg::tandem, Catalog::dump).inline("widen_then_constrain", widen,
                            "add_column: {table: accounts, column: {name: referrer_id, type: bigint}}",
                            "create_constraint: {table: accounts, name: accounts_referrer_fkey, type: foreign_key,"
                                    + " columns: [referrer_id], references: {table: accounts, columns: [id]}}")
                    .refused("operation 3 (create_constraint)", "references 'accounts.id'");
        });
        // a key the application fills: refused at the primary key swap, which MariaDB can only make by a table copy
        on.mariaDb(maria -> Cycle.on(maria).setup("CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(40))",
                        "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, account_id INT,"
                                + " CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id))")
                .migration(WIDEN).refused("not supported online on MariaDB (yet): changing the type of a primary key"));
    }

    /** After contract: the sequence goes past 2^31 and both versions insert parents and children there. */
    private static void pastTwoToThe31(TestDatabase db, String newVersion) {
        db.execute("SELECT setval('accounts_id_seq', 3000000000)",
                "INSERT INTO accounts (name) VALUES ('big old')",
                "INSERT INTO orders (account_id, note) SELECT id, 'big' FROM accounts WHERE name = 'big old'");
        db.executeIn(newVersion, "INSERT INTO accounts (name) VALUES ('big new')",
                "INSERT INTO payments (account_id, amount) SELECT id, 1 FROM accounts WHERE name = 'big new'");
        assertThat(db.rows("SELECT a.id, a.name FROM accounts a JOIN orders o ON o.account_id = a.id"
                + " WHERE o.note = 'big'")).containsExactly("3000000001|big old");
        assertThat(db.rows(newVersion, "SELECT a.id FROM accounts a JOIN payments p ON p.account_id = a.id"
                + " WHERE a.name = 'big new'")).containsExactly("3000000002");
    }

    /** A thread that inserts an account and an order and a payment for it, in one transaction, until stopped. */
    private static Thread writer(TestDatabase db, String searchPath, String label, AtomicBoolean stop,
                                 AtomicInteger writes, List<String> failures) throws SQLException {
        Connection connection = searchPath == null ? db.connect() : db.connect(searchPath);
        Thread thread = new Thread(() -> {
            try (AccountWrites accounts = new AccountWrites(connection)) {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        accounts.write(label + " " + i);
                        writes.incrementAndGet();
                    } catch (SQLException e) {
                        failures.add(label + ": " + e.getMessage());
                    }
                }
            } catch (SQLException e) {
                failures.add(label + ": " + e.getMessage());
            }
        }, "writer-" + label);
        thread.start();
        return thread;
    }
}
