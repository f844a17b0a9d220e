package dev.tandem.coordinator.state;

import java.time.Instant;

/** One event in a migration's phase history. */
public record HistoryEntry(String migration, String event, Instant at, String detail) {
}
