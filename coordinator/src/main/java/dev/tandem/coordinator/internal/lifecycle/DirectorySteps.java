package dev.tandem.coordinator.internal.lifecycle;

import dev.tandem.coordinator.DirectoryStatus;
import dev.tandem.coordinator.DirectoryStatus.Entry;
import dev.tandem.coordinator.DirectoryStatus.State;
import dev.tandem.coordinator.DirectoryStatus.Step;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationDirectory;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A directory of migrations against the state's records, and which phase of which migration runs next. {@code
 * expand} stacks the next pending migration on those in flight; {@code up} brings the migrations through their phases
 * one after the other.
 */
public final class DirectorySteps {
    private DirectorySteps() {
    }

    /**
     * @param records          the schema's records by migration name
     * @param backfilled       the recorded migrations whose backfilled tables are all done
     */
    static DirectoryStatus status(String schema, MigrationDirectory directory, Map<String, MigrationRecord> records,
                                  Set<String> backfilled) {
        List<Entry> entries = new ArrayList<>();
        for (Migration migration : directory.migrations()) {
            MigrationRecord record = records.get(migration.name());
            if (record == null) {
                entries.add(new Entry(migration, State.PENDING, null, false, null));
                continue;
            }
            State state = record.phase() == Phase.ROLLED_BACK ? State.PENDING
                    : !record.checksum().equals(migration.checksum()) ? State.EDITED
                    : record.phase() == Phase.COMPLETE ? State.APPLIED : State.IN_FLIGHT;
            entries.add(new Entry(migration, state, record.phase().label(),
                    state != State.PENDING && backfilled.contains(record.name()), record.checksum()));
        }
        Set<String> names = directory.migrations().stream().map(Migration::name).collect(Collectors.toSet());
        List<String> missing = records.values().stream()
                .filter(r -> r.phase() != Phase.ROLLED_BACK && !names.contains(r.name()))
                .map(MigrationRecord::name).toList();
        return new DirectoryStatus(schema, directory.path().toString(), entries, missing);
    }

    public static Optional<Step> next(DirectoryStatus status, PhaseKind through, String to) {
        requireNoneEdited(status);
        List<Entry> scope = upTo(status, to);
        Optional<Entry> inFlight = scope.stream().filter(e -> e.state() == State.IN_FLIGHT).findFirst();
        if (inFlight.isPresent()) {
            return phaseOf(inFlight.get(), through);
        }
        return scope.stream().filter(e -> e.state() == State.PENDING).findFirst()
                .map(e -> new Step(e.migration(), PhaseKind.EXPAND));
    }

    /**
     * The expand to run next: that of a migration whose expand was interrupted, or else of the first pending one,
     * stacked on those in flight once each of them is expanded.
     */
    public static Optional<Step> nextExpand(DirectoryStatus status) {
        requireNoneEdited(status);
        List<Entry> pending = status.pending();
        for (Entry active : status.migrations().stream().filter(e -> e.state() == State.IN_FLIGHT).toList()) {
            if (active.phase().equals(Phase.EXPANDING.label())) {
                return Optional.of(new Step(active.migration(), PhaseKind.EXPAND));
            }
            if (!pending.isEmpty() && !active.phase().equals(Phase.EXPANDED.label())) {
                throw new StateConflictException("migration '" + active.name() + "' (" + active.file() + ") is "
                        + active.phase() + " on schema '" + status.schema() + "'; a migration expands on top of the "
                        + "others in flight once each is expanded: finish " + active.name() + " first, then expand "
                        + pending.get(0).name() + " (" + pending.get(0).file() + ")");
            }
        }
        return pending.stream().findFirst().map(entry -> new Step(entry.migration(), PhaseKind.EXPAND));
    }

    public static Optional<Entry> current(DirectoryStatus status) {
        requireNoneEdited(status);
        List<Entry> applied = status.migrations().stream().filter(e -> e.state() == State.APPLIED).toList();
        return status.inFlight().or(() -> applied.isEmpty() ? Optional.empty()
                : Optional.of(applied.get(applied.size() - 1)));
    }

    public static void requireNoneMissing(DirectoryStatus status) {
        if (!status.missing().isEmpty()) {
            throw new StateConflictException(status.directory() + ": schema '" + status.schema() + "' records "
                    + "migrations that no file of the directory holds: " + String.join(", ", status.missing())
                    + " (--strict)");
        }
    }

    /** The phase of the migration in flight that brings it through {@code through}, if any. */
    private static Optional<Step> phaseOf(Entry entry, PhaseKind through) {
        Phase phase = Phase.of(entry.phase());
        PhaseKind kind = switch (phase) {
            case EXPANDING -> PhaseKind.EXPAND;
            case EXPANDED -> entry.backfillComplete() ? PhaseKind.CONTRACT : PhaseKind.BACKFILL;
            case CONTRACTING -> PhaseKind.CONTRACT;
            case ROLLING_BACK -> throw new StateConflictException("migration '" + entry.name() + "' ("
                    + entry.file() + ") is being rolled back; run migrate rollback " + entry.name()
                    + " to finish it first");
            case CONTRACTED_KEPT -> throw new StateConflictException("migration '" + entry.name() + "' ("
                    + entry.file() + ") is contracted_kept; finish it with migrate purge " + entry.name()
                    + ", or bring the old version back with migrate revert " + entry.name() + ", first");
            case COMPLETE, ROLLED_BACK -> throw new IllegalStateException(entry.name() + " is not in flight");
        };
        return kind.ordinal() <= through.ordinal() ? Optional.of(new Step(entry.migration(), kind)) : Optional.empty();
    }

    private static List<Entry> upTo(DirectoryStatus status, String to) {
        List<Entry> all = status.migrations();
        if (to == null) {
            return all;
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().equals(to)) {
                return all.subList(0, i + 1);
            }
        }
        throw new InvalidMigrationException(status.directory() + ": --to names '" + to + "', which is no migration "
                + "of the directory (" + all.stream().map(Entry::name).collect(Collectors.joining(", ")) + ")");
    }

    private static void requireNoneEdited(DirectoryStatus status) {
        for (Entry entry : status.migrations()) {
            if (entry.state() == State.EDITED) {
                throw new StateConflictException(status.directory() + "/" + entry.file() + ": migration '"
                        + entry.name() + "' is " + entry.phase() + " from a file with checksum "
                        + entry.recordedChecksum() + ", and the file now has " + entry.migration().checksum()
                        + "; an applied migration's file must not change: write a new migration instead");
            }
        }
    }
}
