package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A replica has applied a primary's GTID position when it is as far in every domain the primary wrote. */
class MariaDbReplicaPositionsTest {
    private final MariaDbBatchStatements sql = new MariaDbBatchStatements("transaction_isolation");

    @Test
    void eachDomainIsComparedByItsSequenceNumber() {
        assertThat(sql.replayedUpTo("0-1-42", "0-1-42")).isTrue();
        assertThat(sql.replayedUpTo("0-1-43", "0-1-42")).isTrue();
        assertThat(sql.replayedUpTo("0-1-41", "0-1-42")).isFalse();
        // a sequence number past 10 is compared as a number, not as text
        assertThat(sql.replayedUpTo("0-1-100", "0-1-99")).isTrue();
    }

    @Test
    void everyDomainThePrimaryWroteMustBeApplied() {
        assertThat(sql.replayedUpTo("0-1-42,1-2-7", "0-1-42,1-2-7")).isTrue();
        assertThat(sql.replayedUpTo("0-1-42,1-2-6", "0-1-42,1-2-7")).isFalse();
        assertThat(sql.replayedUpTo("0-1-42", "0-1-42,1-2-7")).isFalse();
        // domains only the replica has (its own writes, another source) do not matter
        assertThat(sql.replayedUpTo("0-1-42,5-9-3", "0-1-42")).isTrue();
    }

    @Test
    void aServerIdChangeAfterAFailoverKeepsTheDomainsSequence() {
        assertThat(sql.replayedUpTo("0-2-50", "0-1-49")).isTrue();
    }

    @Test
    void aPrimaryThatWroteNothingIsAppliedEverywhere() {
        assertThat(sql.replayedUpTo("", "")).isTrue();
        assertThat(sql.replayedUpTo("0-1-1", "")).isTrue();
    }
}
