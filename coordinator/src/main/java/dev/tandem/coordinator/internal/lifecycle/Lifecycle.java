package dev.tandem.coordinator.internal.lifecycle;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.state.Phase;

/**
 * Which command each recorded phase allows: the one table of a migration's lifecycle. A command either starts its
 * work, resumes the work of a run that stopped half way, finds it done already, or is refused with a message
 * saying what to run instead. The switches are exhaustive, so a new phase or command does not compile until each
 * pair is decided. Contract, contract --keep, purge and rollback, when they start, also pass the {@link InstanceGate}.
 */
public final class Lifecycle {
    private Lifecycle() {
    }

    /** The commands that act on one recorded migration. */
    public enum Command {
        EXPAND, BACKFILL, CONTRACT,
        /** contract --keep: the old version's views go, its shape stays for a revert. */
        KEEP,
        /** Brings back the old version of a kept contract. */
        REVERT,
        /** Finishes a kept contract: contract from {@link Phase#CONTRACTED_KEPT}. */
        PURGE,
        ROLLBACK, VERIFY
    }

    public enum Verdict {
        /** The command's work begins (expand of a fresh migration, contract and rollback past the instance gate). */
        START,
        /** A run of the same command stopped half way; this one continues from the steps recorded as done. */
        RESUME,
        /** Nothing is left to do. */
        DONE,
        REFUSED
    }

    /** @param text what a {@link Verdict#DONE} command reports, or why a {@link Verdict#REFUSED} one is refused */
    public record Decision(Verdict verdict, String text) {
        private static final Decision START = new Decision(Verdict.START, null);
        private static final Decision RESUME = new Decision(Verdict.RESUME, null);

        private static Decision done(String outcome) {
            return new Decision(Verdict.DONE, outcome);
        }

        private static Decision refused(String message) {
            return new Decision(Verdict.REFUSED, message);
        }
    }

    /**
     * What {@code command} does to migration {@code name} recorded in {@code phase}; a migration never expanded counts
     * as {@link Phase#ROLLED_BACK}.
     */
    public static Decision decide(Command command, String name, Phase phase) {
        String is = "migration '" + name + "' is " + phase.label();
        return switch (command) {
            case EXPAND -> switch (phase) {
                case ROLLED_BACK -> Decision.START;
                case EXPANDING -> Decision.RESUME;
                case EXPANDED, CONTRACTING, CONTRACTED_KEPT, COMPLETE -> Decision.done("already expanded");
                case ROLLING_BACK -> Decision.refused("migration '" + name + "' is being rolled back; run rollback "
                        + "again to finish it before expanding");
            };
            case BACKFILL -> switch (phase) {
                case EXPANDED -> Decision.START;
                case CONTRACTING, CONTRACTED_KEPT, COMPLETE -> Decision.done("nothing to backfill: contract has run");
                case EXPANDING, ROLLING_BACK, ROLLED_BACK -> Decision.refused(is + "; backfill needs a finished expand");
            };
            case CONTRACT -> switch (phase) {
                case EXPANDED -> Decision.START;
                case CONTRACTING -> Decision.RESUME;
                case COMPLETE -> Decision.done("already complete");
                // a pipeline's contract stage run again never drops what an operator chose to keep
                case CONTRACTED_KEPT -> Decision.done("contracted, old shape kept: run purge to drop it, or revert to "
                        + "bring the old version back");
                case EXPANDING -> Decision.refused(is + "; contract needs a finished expand: run expand again to "
                        + "finish it");
                case ROLLING_BACK, ROLLED_BACK -> Decision.refused(is + "; contract needs a finished expand");
            };
            case KEEP -> switch (phase) {
                case EXPANDED -> Decision.START;
                case CONTRACTED_KEPT -> Decision.RESUME;
                case CONTRACTING, COMPLETE -> Decision.refused(is + "; contract has begun to drop the old shape, which "
                        + "can no longer be kept: run contract to finish it");
                case EXPANDING -> Decision.refused(is + "; contract needs a finished expand: run expand again to "
                        + "finish it");
                case ROLLING_BACK, ROLLED_BACK -> Decision.refused(is + "; contract needs a finished expand");
            };
            case REVERT -> switch (phase) {
                // an interrupted revert starts again: its steps recorded as done are skipped
                case CONTRACTED_KEPT -> Decision.START;
                case EXPANDED -> Decision.done("nothing to revert: both versions run");
                case CONTRACTING, COMPLETE -> Decision.refused(is + "; the old shape is dropped, or being dropped, and "
                        + "cannot be brought back: only a contract run with --keep can be reverted");
                case EXPANDING, ROLLING_BACK, ROLLED_BACK -> Decision.refused(is + "; only a contract run with --keep "
                        + "can be reverted");
            };
            case PURGE -> switch (phase) {
                case CONTRACTED_KEPT -> Decision.START;
                case CONTRACTING -> Decision.RESUME;
                case COMPLETE -> Decision.done("already complete");
                case EXPANDING, EXPANDED, ROLLING_BACK, ROLLED_BACK -> Decision.refused(is + "; purge finishes a "
                        + "contract kept with contract --keep: run contract (or contract --keep) instead");
            };
            case ROLLBACK -> switch (phase) {
                // contracting: only while contract has not changed the tables yet (InstanceGate checks)
                case EXPANDING, EXPANDED, CONTRACTING -> Decision.START;
                case ROLLING_BACK -> Decision.RESUME;
                case ROLLED_BACK -> Decision.done("already rolled back");
                case COMPLETE -> Decision.refused("migration '" + name + "' is complete; the old shape is gone and it "
                        + "cannot be rolled back. Write a new migration that reverses it");
                case CONTRACTED_KEPT -> Decision.refused(is + ", its old shape kept; revert it first (the old version "
                        + "comes back), then roll back");
            };
            case VERIFY -> switch (phase) {
                case EXPANDED -> Decision.START;
                case EXPANDING, CONTRACTING, CONTRACTED_KEPT, COMPLETE, ROLLING_BACK, ROLLED_BACK ->
                        Decision.refused(is + "; only an expanded migration's backfill can be verified");
            };
        };
    }

    /**
     * Like {@link #decide}, for a command about to run.
     *
     * @throws StateConflictException when the phase does not allow the command
     */
    public static Decision allow(Command command, String name, Phase phase) {
        Decision decision = decide(command, name, phase);
        if (decision.verdict() == Verdict.REFUSED) {
            throw new StateConflictException(decision.text());
        }
        return decision;
    }
}
