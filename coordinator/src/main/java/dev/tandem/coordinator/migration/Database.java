package dev.tandem.coordinator.migration;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

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

    /** The database whose {@link #key()} is {@code key}, in any case. */
    public static Optional<Database> ofKey(String key) {
        return Arrays.stream(values()).filter(d -> d.key().equalsIgnoreCase(key)).findFirst();
    }

    public String displayName() {
        return displayName;
    }
}
