package dev.tandem.cli;

import static dev.tandem.cli.PhoneBook.MIGRATION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.DualWritePhase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code it_move_phone} moves customers' phones into a table of their own, which no trigger can carry: V1 and
 * V2 instances write both shapes with DualWriter under concurrent traffic, {@code migrate verify-data} finds
 * no drift, then finds drift injected behind their back, by key.
 */
class MoveColumnTest {
    private static final int ROUNDS = 40;
    /** Copies the phones that existed before expand; locks each customer row so no dual write slips past it. */
    private static final String COPY_EXISTING = "WITH locked AS (SELECT id, phone FROM public.customers ORDER BY id "
            + "FOR UPDATE) INSERT INTO public.customer_phones (customer_id, phone) SELECT id, phone FROM locked "
            + "ON CONFLICT (customer_id) DO UPDATE SET phone = excluded.phone";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    private Tandem tandem;

    @BeforeEach
    void createShop() {
        db.execute(Examples.shop());
        tandem = db.tandem();
    }

    private record Cli(int exitCode, String out, String err) {
    }

    private Cli verifyData() throws URISyntaxException {
        Path spec = Path.of(getClass().getResource("/verify/it_move_phone.yaml").toURI());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Migrate.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute("verify-data", MIGRATION, "--spec", spec.toString(), "--url", db.url());
        return new Cli(exitCode, out.toString(), err.toString());
    }

    /** Each app adds customers and changes phones of customers the others change too; returns the phases seen. */
    private static List<Future<List<DualWritePhase>>> traffic(ExecutorService threads, List<PhoneBook> apps,
                                                              String round) {
        List<Future<List<DualWritePhase>>> futures = new ArrayList<>();
        for (int a = 0; a < apps.size(); a++) {
            PhoneBook app = apps.get(a);
            int worker = a;
            futures.add(threads.submit(() -> {
                List<DualWritePhase> phases = new ArrayList<>();
                for (int i = 0; i < ROUNDS; i++) {
                    String phone = round + "-" + worker + "-" + i;
                    if (i % 5 == 0) {
                        long id = app.addCustomer(phone + "@example.com", phone);
                        assertThat(app.phone(id)).isEqualTo(phone);
                    } else {
                        long id = 1 + (i * 7L) % 30;
                        phases.add(app.setPhone(id, phone));
                        app.phone(id);
                    }
                }
                return phases;
            }));
        }
        return futures;
    }

    private static List<DualWritePhase> phases(List<Future<List<DualWritePhase>>> futures) throws Exception {
        List<DualWritePhase> phases = new ArrayList<>();
        for (Future<List<DualWritePhase>> f : futures) {
            phases.addAll(f.get());
        }
        return phases;
    }

    @Test
    void dualWritesKeepBothShapesEqualAndVerifyDataFindsDriftByKey() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (PhoneBook v1a = new PhoneBook.V1(db, "v1-a"); PhoneBook v1b = new PhoneBook.V1(db, "v1-b")) {
            assertThat(v1a.setPhone(1, "before-expand")).isEqualTo(DualWritePhase.READ_OLD_WRITE_OLD);
            tandem.expand(Examples.migration(MIGRATION + ".yaml"));

            try (PhoneBook v2a = new PhoneBook.V2(db, "v2-a"); PhoneBook v2b = new PhoneBook.V2(db, "v2-b")) {
                List<PhoneBook> apps = List.of(v1a, v2a, v1b, v2b);
                List<Future<List<DualWritePhase>>> first = traffic(threads, apps, "first");
                // while the apps write both shapes: copy what was there before, then let them read the new shape
                db.execute(COPY_EXISTING);
                tandem.backfill(MIGRATION, BackfillListener.NONE);
                assertThat(phases(first)).isSubsetOf(DualWritePhase.READ_OLD_WRITE_BOTH,
                        DualWritePhase.READ_NEW_WRITE_BOTH);
                assertThat(phases(traffic(threads, apps, "second"))).containsOnly(DualWritePhase.READ_NEW_WRITE_BOTH);

                Cli clean = verifyData();
                String customers = db.value("SELECT count(*) FROM customers");
                assertThat(clean.exitCode()).as(clean.toString()).isEqualTo(ExitCodes.OK);
                assertThat(clean.out()).isEqualTo(MIGRATION + ": " + customers + " keys compared, 0 drifted\n");

                String phone7 = db.value("SELECT phone FROM customers WHERE id = 7");
                db.execute("UPDATE customer_phones SET phone = 'drifted' WHERE customer_id = 7",
                        "DELETE FROM customer_phones WHERE customer_id = 9");
                Cli drifted = verifyData();
                assertThat(drifted.exitCode()).as(drifted.toString()).isEqualTo(ExitCodes.DRIFT);
                assertThat(drifted.out()).isEqualTo(MIGRATION + ": " + customers + " keys compared, 2 drifted:\n"
                        + "  key 7: customers.phone = '" + phone7 + "' but customer_phones.phone = 'drifted'\n"
                        + "  key 9: missing in customer_phones\n");

                v2a.setPhone(7, phone7);
                v2a.setPhone(9, "repaired");
                assertThat(verifyData().exitCode()).isEqualTo(ExitCodes.OK);

                v1a.close();
                v1b.close();
                tandem.contract(MIGRATION);
                // no V1 instance is left: V2 stops writing the old column, which contract dropped
                assertThat(v2b.setPhone(9, "after-contract")).isEqualTo(DualWritePhase.READ_NEW_WRITE_NEW);
                assertThat(v2a.phone(9)).isEqualTo("after-contract");
                assertThat(verifyData().exitCode()).isEqualTo(ExitCodes.STATE_CONFLICT);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
