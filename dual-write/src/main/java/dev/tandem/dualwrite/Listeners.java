package dev.tandem.dualwrite;

import dev.tandem.dualwrite.verify.DriftReport;
import java.util.List;

/** The listeners of one guard, told in the order they were added. */
final class Listeners implements GuardListener {
    private final List<GuardListener> all;

    Listeners(List<GuardListener> all) {
        this.all = List.copyOf(all);
    }

    @Override
    public void accepted(SchemaVersion version) {
        all.forEach(l -> l.accepted(version));
    }

    @Override
    public void refused(PhaseGuardException refusal) {
        all.forEach(l -> l.refused(refusal));
    }

    @Override
    public void heartbeat(String instanceId, boolean succeeded) {
        all.forEach(l -> l.heartbeat(instanceId, succeeded));
    }

    @Override
    public void closed(String instanceId) {
        all.forEach(l -> l.closed(instanceId));
    }

    @Override
    public void dualWritten(String migration, DualWritePhase phase) {
        all.forEach(l -> l.dualWritten(migration, phase));
    }

    @Override
    public void driftChecked(String migration, DriftReport report) {
        all.forEach(l -> l.driftChecked(migration, report));
    }
}
