package dev.tandem.coordinator;

import java.util.Locale;

/** The phases a migration goes through, each run by the command of the same name. */
public enum PhaseKind {
    EXPAND,
    BACKFILL,
    CONTRACT,
    /** Contract with {@code --keep}: the old version's views go, its shape stays (see {@code migrate revert}). */
    KEEP,
    /** Brings back the old version of a kept contract. */
    REVERT,
    ROLLBACK;

    /** The name as commands, step ids and messages spell it: {@code expand}, {@code contract}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PhaseKind of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
