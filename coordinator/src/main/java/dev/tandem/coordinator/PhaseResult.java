package dev.tandem.coordinator;

/**
 * What a phase command did.
 *
 * @param statements how many statements ran in this run (0 when the phase was already done)
 * @param rows       rows updated, for backfill; 0 otherwise
 */
public record PhaseResult(String migration, String phase, String outcome, int statements, long rows) {
}
