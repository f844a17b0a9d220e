package dev.tandem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The step listener hears of each step as it starts and is recorded, and of each lock conflict it meets. */
class StepListenerTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final StepListener listener = new StepListener() {
        @Override
        public void stepStarted(String migration, String step) {
            events.add("started " + migration + " " + step);
        }

        @Override
        public void stepDone(String migration, String step, int statements) {
            events.add("done " + migration + " " + step + (statements > 0 ? "" : " without statements"));
        }

        @Override
        public void lockConflict(String migration, String step, int attempt, boolean retried) {
            events.add("lock conflict " + migration + " " + step + " attempt " + attempt + (retried ? ", retried" : ""));
        }
    };

    @Test
    void toldOfEachStepAndEachLockConflict() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Tandem tandem = db.tandem(TandemConfig.builder().lockTimeout(Duration.ofMillis(50)).lockRetries(1)
                    .retryDelays(Duration.ofMillis(10), Duration.ofMillis(20)).stepListener(listener).build());

            try (Connection reader = db.connect(); Statement s = reader.createStatement()) {
                reader.setAutoCommit(false);
                s.execute("LOCK TABLE customers IN ACCESS SHARE MODE");
                assertThatThrownBy(() -> tandem.expand(Examples.migration("add_column.yaml")))
                        .isInstanceOf(DatabaseException.class);
                reader.rollback();
            }
            assertThat(events).contains("lock conflict add_display_name expand/main attempt 1, retried",
                    "lock conflict add_display_name expand/main attempt 2");
            assertThat(events).noneMatch(event -> event.startsWith("done add_display_name expand/main"));

            events.clear();
            tandem.expand(Examples.migration("add_column.yaml"));
            assertThat(events).containsSubsequence("started add_display_name expand/main",
                    "done add_display_name expand/main");
            assertThat(events.stream().filter(event -> event.startsWith("started ")).count())
                    .as("every step started is done: %s", events)
                    .isEqualTo(events.stream().filter(event -> event.startsWith("done ")).count());
            assertThat(events).noneMatch(event -> event.startsWith("lock conflict"));
        }
    }
}
