package dev.tandem.coordinator.internal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import org.junit.jupiter.api.Test;

class CaptureTest {
    /** As {@code \copy (SELECT queryid, calls, query FROM pg_stat_statements ...) TO 'old.csv' CSV HEADER} writes it. */
    private static final String CSV = "queryid,calls,query\n"
            + "-4211,12,SELECT id FROM orders WHERE note LIKE $1\n"
            + "77,3,\"SELECT id,\n       note\n  FROM orders WHERE customer_id = $1\"\n"
            + "78,1,\"SELECT \"\"sku\"\" FROM products\"\n"
            + "79,5,SET application_name = $1\n"
            + "80,9,SELECT phase FROM tandem.migrations WHERE name = $1\n"
            + "81,2,SELECT queryid FROM pg_stat_statements\n"
            + "84,1,SELECT pg_stat_statements_reset()\n"
            + "82,4,SELECT  id FROM orders   WHERE note LIKE $1\n"
            + "83,1,BEGIN\n";

    @Test
    void csvRowsKeepTheirQueryidAndLineAndMayHoldNewlinesAndQuotes() {
        Capture capture = Capture.read("old.csv", CSV);
        assertThat(capture.entries()).hasSize(9);
        assertThat(capture.entries().get(1)).isEqualTo(new Capture.Entry("77", 3,
                "SELECT id,\n       note\n  FROM orders WHERE customer_id = $1"));
        assertThat(capture.entries().get(2)).isEqualTo(new Capture.Entry("78", 6, "SELECT \"sku\" FROM products"));
    }

    @Test
    void onlyTheApplicationsQueriesAreCheckedEachOnce() {
        assertThat(Capture.read("old.csv", CSV).checkable("tandem")).extracting(Capture.Entry::queryId)
                .as("no SET/BEGIN, nothing on Tandem's state or pg_stat_statements, 82 repeats -4211")
                .containsExactly("-4211", "77", "78");
    }

    @Test
    void jsonIsAnArrayOfObjects() {
        Capture capture = Capture.read("new.json", "[{\"queryid\": 5, \"calls\": 1, \"query\": \"SELECT $1\"},"
                + " {\"query\": \"SELECT id FROM orders\"}]");
        assertThat(capture.entries()).containsExactly(new Capture.Entry("5", 0, "SELECT $1"),
                new Capture.Entry(null, 0, "SELECT id FROM orders"));
        assertThat(Capture.read("empty.json", "null").entries()).as("json_agg over no rows").isEmpty();
    }

    @Test
    void anExportWithoutQueriesIsBadInput() {
        assertThatThrownBy(() -> Capture.read("old.csv", "queryid,calls\n1,2\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("old.csv:1: no 'query' column");
        assertThatThrownBy(() -> Capture.read("old.csv", "queryid,calls,query\n1,2\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("old.csv:2: 2 fields");
        assertThatThrownBy(() -> Capture.read("old.json", "{\"query\": \"SELECT 1\"}"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("expected a JSON array");
    }
}
