package dev.tandem.cli;

import dev.tandem.coordinator.ExitKind;
import dev.tandem.coordinator.TandemException;

/**
 * A hook exited non-zero, timed out or could not start. Before a phase it stops the phase before anything
 * changed; after one, the phase is done. Exits with {@link ExitCodes#HOOK}.
 */
final class HookFailedException extends TandemException {
    private static final long serialVersionUID = 1L;

    HookFailedException(String message) {
        super(message);
    }

    @Override
    public ExitKind exitKind() {
        return ExitKind.HOOK;
    }
}
