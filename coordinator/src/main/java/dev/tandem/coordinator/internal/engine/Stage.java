package dev.tandem.coordinator.internal.engine;

import java.util.Locale;

/** When in a phase an action runs, relative to the phase's one transaction. */
public enum Stage {
    /** Each on its own before the transaction: validations, concurrent index drops. */
    BEFORE,
    /** Together in one short transaction under the lock timeout. */
    MAIN,
    /** Each on its own after the transaction: concurrent index builds. */
    AFTER;

    /** The name as step ids spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
