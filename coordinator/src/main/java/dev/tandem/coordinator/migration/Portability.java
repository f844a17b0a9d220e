package dev.tandem.coordinator.migration;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.engine.MariaDbPortability;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which databases a migration file runs on, as far as the file tells: on PostgreSQL unless a field gives
 * expressions for MariaDB only; on MariaDB unless a field gives them for PostgreSQL only, or an expression or an
 * operation is one MariaDB refuses whatever the tables hold (PostgreSQL's {@code ::} and {@code ||}, a check
 * constraint on an existing table, a partial index). {@code plan} on the database itself also checks what only its
 * catalog tells.
 *
 * @param refusals for each database the file does not run on, why
 */
public record Portability(Map<Database, String> refusals) {
    public Portability {
        refusals = Collections.unmodifiableMap(new EnumMap<>(refusals));
    }

    /** Reads {@code migration} for each database and asks each what it refuses. */
    public static Portability of(Migration migration) {
        Map<Database, String> refusals = new EnumMap<>(Database.class);
        for (Database database : Database.values()) {
            Migration on;
            try {
                on = migration.on(database);
            } catch (InvalidMigrationException e) {
                refusals.put(database, e.getMessage().substring(migration.source().length() + 2));
                continue;
            }
            String refusal = database == Database.MARIADB ? MariaDbPortability.refusal(on) : null;
            if (refusal != null) {
                refusals.put(database, refusal);
            }
        }
        return new Portability(refusals);
    }

    /** The databases the file runs on, PostgreSQL first. */
    public List<Database> runsOn() {
        return Arrays.stream(Database.values()).filter(d -> !refusals.containsKey(d)).toList();
    }

    /**
     * One line: {@code runs on: PostgreSQL, MariaDB}, {@code PostgreSQL only: operation 2 (alter_column): …}, or
     * {@code runs on no database: …}.
     */
    public String describe() {
        List<Database> runsOn = runsOn();
        String why = refusals.entrySet().stream()
                .map(e -> (refusals.size() > 1 ? e.getKey().displayName() + ": " : "") + e.getValue())
                .collect(Collectors.joining("; "));
        if (refusals.isEmpty()) {
            return "runs on: " + runsOn.stream().map(Database::displayName).collect(Collectors.joining(", "));
        }
        if (runsOn.isEmpty()) {
            return "runs on no database: " + why;
        }
        return runsOn.stream().map(Database::displayName).collect(Collectors.joining(", ")) + " only: " + why;
    }
}
