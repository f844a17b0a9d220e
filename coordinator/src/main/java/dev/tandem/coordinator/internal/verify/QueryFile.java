package dev.tandem.coordinator.internal.verify;

/** A file of one application version's statements (plain SQL, ';'-separated), for the compatibility check. */
public record QueryFile(String file, String text) {
}
