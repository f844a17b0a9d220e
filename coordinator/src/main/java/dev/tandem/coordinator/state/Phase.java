package dev.tandem.coordinator.state;

import java.util.Locale;

/** Where a migration stands. Backfill progress is kept per table beside it. */
public enum Phase {
    /** Expand started and has not finished; rerunning expand continues it. */
    EXPANDING,
    /** Both versions can run; backfill and contract may follow, or rollback. */
    EXPANDED,
    /** Contract started and has not finished; rerunning contract continues it. */
    CONTRACTING,
    /**
     * Contract ran with {@code --keep}: only the new version runs, but the old columns and tables stay, kept up to
     * date by the sync triggers, so revert can bring the old version back; purge finishes the contract.
     */
    CONTRACTED_KEPT,
    /** Only the new version remains. */
    COMPLETE,
    /** Rollback started and has not finished; rerunning rollback continues it. */
    ROLLING_BACK,
    /** Everything expand added is gone; the migration may be expanded again. */
    ROLLED_BACK;

    /** Whether the migration still holds the schema in a dual-write state. */
    public boolean active() {
        return this == EXPANDING || this == EXPANDED || this == CONTRACTING || this == CONTRACTED_KEPT
                || this == ROLLING_BACK;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Phase of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
