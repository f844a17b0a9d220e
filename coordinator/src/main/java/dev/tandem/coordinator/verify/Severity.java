package dev.tandem.coordinator.verify;

/** ERROR: blocks the live application, breaks a running version or fails. WARNING: risky, worth a look. */
public enum Severity { ERROR, WARNING }
