package dev.tandem.coordinator.verify;

/** A file of one application version's statements (plain SQL, ';'-separated), for the compatibility check. */
public record QueryFile(String file, String text) {
}
