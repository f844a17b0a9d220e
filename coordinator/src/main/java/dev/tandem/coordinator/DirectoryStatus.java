package dev.tandem.coordinator;

import dev.tandem.coordinator.internal.lifecycle.DirectorySteps;
import dev.tandem.coordinator.migration.Migration;
import java.util.List;
import java.util.Optional;

/**
 * A directory of migrations against what the schema's state records: each migration, in the order they apply, as
 * applied, in flight, pending or edited; and the recorded migrations the directory lacks. {@link #next} says which
 * phase of which migration runs next.
 *
 * @param directory the directory as given, for messages
 * @param missing   migrations the state records (not rolled back) that no file of the directory holds
 */
public record DirectoryStatus(String schema, String directory, List<Entry> migrations, List<String> missing) {
    public DirectoryStatus {
        migrations = List.copyOf(migrations);
        missing = List.copyOf(missing);
    }

    /** Where a migration of the directory stands. */
    public enum State {
        /** complete: contract has run */
        APPLIED,
        /** expanding, expanded, contracting, contracted with --keep, or being rolled back */
        IN_FLIGHT,
        /** never expanded, or rolled back */
        PENDING,
        /** recorded (not rolled back) from a file with other content than the directory's */
        EDITED
    }

    /**
     * One file of the directory.
     *
     * @param phase            the recorded phase ({@code state.Phase} label), or null when none is recorded
     * @param backfillComplete whether every backfilled table is done (true when nothing needs backfill)
     * @param recordedChecksum the checksum recorded with its phase, or null when none is recorded
     */
    public record Entry(Migration migration, State state, String phase, boolean backfillComplete,
                        String recordedChecksum) {
        public String name() {
            return migration.name();
        }

        public String file() {
            return migration.source();
        }
    }

    /** The migration of the directory in flight, if any. */
    public Optional<Entry> inFlight() {
        return migrations.stream().filter(e -> e.state() == State.IN_FLIGHT).findFirst();
    }

    /** The migrations no phase has run for yet (or that were rolled back), in order. */
    public List<Entry> pending() {
        return migrations.stream().filter(e -> e.state() == State.PENDING).toList();
    }

    /**
     * What runs next to bring the migrations up to {@code to} (all when null) through phase {@code through}: a
     * half-done phase is continued; empty when there is nothing more to do. While one migration is in flight, the
     * next one waits for its contract.
     *
     * @throws StateConflictException  when a file was edited, or the migration in flight is being rolled back or
     *                                  was contracted with --keep (purge or revert it first)
     * @throws InvalidMigrationException when {@code to} names no migration of the directory
     */
    public Optional<Step> next(PhaseKind through, String to) {
        return DirectorySteps.next(this, through, to);
    }

    /**
     * What {@code migrate expand DIR} runs: the expand of the next pending migration, or of the one in flight when
     * its expand is half done; empty when nothing is pending.
     *
     * @throws StateConflictException when a file was edited, or a migration is in flight past expand while others
     *                                are pending ("contract or roll back X first")
     */
    public Optional<Step> nextExpand() {
        return DirectorySteps.nextExpand(this);
    }

    /**
     * The migration {@code migrate backfill DIR} and {@code migrate contract DIR} act on: the one in flight, else
     * the last one applied; empty when none of the directory has been expanded.
     *
     * @throws StateConflictException when a file was edited
     */
    public Optional<Entry> current() {
        return DirectorySteps.current(this);
    }

    /**
     * Refuses a directory that lacks migrations the state records ({@code --strict}).
     *
     * @throws StateConflictException naming them
     */
    public void requireNoneMissing() {
        DirectorySteps.requireNoneMissing(this);
    }

    /** One phase of one migration. */
    public record Step(Migration migration, PhaseKind phase) {
    }
}
