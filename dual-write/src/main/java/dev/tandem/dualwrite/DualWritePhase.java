package dev.tandem.dualwrite;

/**
 * What an application should read and write for one migration, the toggle it flips as the migration moves on:
 * read-old/write-both → read-new/write-both → read-new/write-new. Before expand has finished (and again after a
 * rollback) only the old shape exists: read-old/write-old.
 */
public enum DualWritePhase {
    /** Not expanded (yet, or any more): only the old shape exists. */
    READ_OLD_WRITE_OLD(false, true, false),
    /** Expanded, not yet backfilled: the new shape exists but does not hold every row yet. */
    READ_OLD_WRITE_BOTH(false, true, true),
    /** Expanded and backfilled: the new shape holds every row; the old one still serves old-version instances. */
    READ_NEW_WRITE_BOTH(true, true, true),
    /** Contract has begun or finished: no old-version instance runs, and the old shape is going or gone. */
    READ_NEW_WRITE_NEW(true, false, true);

    private final boolean readsNew;
    private final boolean writesOld;
    private final boolean writesNew;

    DualWritePhase(boolean readsNew, boolean writesOld, boolean writesNew) {
        this.readsNew = readsNew;
        this.writesOld = writesOld;
        this.writesNew = writesNew;
    }

    public boolean readsNew() {
        return readsNew;
    }

    public boolean writesOld() {
        return writesOld;
    }

    public boolean writesNew() {
        return writesNew;
    }

    /**
     * @param recordedPhase the coordinator's phase label, or null when the migration is not recorded
     * @param backfilled    whether a backfill finished after the latest expand
     */
    static DualWritePhase of(String recordedPhase, boolean backfilled) {
        if (recordedPhase == null) {
            return READ_OLD_WRITE_OLD;
        }
        switch (recordedPhase) {
            case "expanded":
                return backfilled ? READ_NEW_WRITE_BOTH : READ_OLD_WRITE_BOTH;
            case "contracting":
            case "contracted_kept":
            case "complete":
                return READ_NEW_WRITE_NEW;
            default:
                // expanding, rolling_back, rolled_back: the new shape is not (or no longer) complete
                return READ_OLD_WRITE_OLD;
        }
    }
}
