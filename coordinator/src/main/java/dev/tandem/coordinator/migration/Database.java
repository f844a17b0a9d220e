package dev.tandem.coordinator.migration;

import java.util.Locale;

/** A database Tandem migrates; its key names its spelling of an expression in a migration file. */
public enum Database {
    POSTGRESQL("PostgreSQL"),
    MARIADB("MariaDB");

    private final String displayName;

    Database(String displayName) {
        this.displayName = displayName;
    }

    /** The key in a migration file: {@code postgresql} or {@code mariadb}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String displayName() {
        return displayName;
    }
}
