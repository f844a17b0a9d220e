package dev.tandem.coordinator;

import java.util.Optional;

/**
 * Root of every exception Tandem throws. Unchecked, like Jdbi's. Messages never contain secrets:
 * connection URLs are passed through {@link dev.tandem.coordinator.internal.sql.Secrets#mask(String)} first.
 * Where the failure happened (the migration, its phase and step) is filled in as it leaves a command.
 */
public abstract class TandemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private String migration;
    private PhaseKind phase;
    private String step;

    protected TandemException(String message) {
        super(message);
    }

    protected TandemException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What kind of failure this is; the CLI exits with the code of the kind. */
    public abstract ExitKind exitKind();

    /** The migration the failed command worked on, when it got that far. */
    public Optional<String> migration() {
        return Optional.ofNullable(migration);
    }

    /** The phase the failed command ran. */
    public Optional<PhaseKind> phase() {
        return Optional.ofNullable(phase);
    }

    /**
     * The step that failed, when one had started: as the state tables record it ({@code contract/main/0}), or
     * {@code backfill/TABLE} for a batch of the backfill.
     */
    public Optional<String> step() {
        return Optional.ofNullable(step);
    }

    /**
     * Records where the failure happened; what is known already is kept, so the innermost caller, who knows the
     * most, wins. Any argument may be null.
     */
    public TandemException within(String migration, PhaseKind phase, String step) {
        this.migration = this.migration == null ? migration : this.migration;
        this.phase = this.phase == null ? phase : this.phase;
        this.step = this.step == null ? step : this.step;
        return this;
    }
}
