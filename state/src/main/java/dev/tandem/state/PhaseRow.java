package dev.tandem.state;

/**
 * A migration's recorded phase.
 *
 * @param phase      the coordinator's phase label
 * @param backfilled whether a backfill finished after the migration's latest expand
 */
public record PhaseRow(String name, String phase, boolean backfilled) {
}
