package dev.tandem.dualwrite;

import dev.tandem.state.MigrationRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which schema versions a database offers, worked out from the migrations Tandem recorded for one schema,
 * and, for a version it does not offer, why not and what to do.
 *
 * <p>While a migration is in flight, its old version (the previous complete migration, or base) is offered
 * until its contract begins, and its new version from the end of its expand. Without one in flight, the latest
 * complete migration (or base) is offered, and so is any earlier complete migration whose views still exist.
 * The new version is only resolved once the backfill of its migration has finished, unless the application
 * accepts an incomplete backfill: until then the rows the backfill has not reached show it NULL in its new columns.
 */
final class VersionRules {
    private static final String EXPANDING = "expanding";
    private static final String EXPANDED = "expanded";
    private static final String CONTRACTING = "contracting";
    /** Contracted with the old shape kept for a revert: like contracting to the old version, the new one runs. */
    private static final String CONTRACTED_KEPT = "contracted_kept";
    private static final String COMPLETE = "complete";
    private static final String ROLLING_BACK = "rolling_back";
    private static final String ROLLED_BACK = "rolled_back";
    private static final Set<String> IN_FLIGHT = Set.of(EXPANDING, EXPANDED, CONTRACTING, CONTRACTED_KEPT,
            ROLLING_BACK);
    /** Phases of the migration in flight during which its old version may run. */
    private static final Set<String> OLD_VERSION_LIVE = Set.of(EXPANDING, EXPANDED, ROLLING_BACK);
    /** Phases of the migration in flight during which its new version may run. */
    private static final Set<String> NEW_VERSION_LIVE = Set.of(EXPANDED, CONTRACTING, CONTRACTED_KEPT);

    private record Offer(SchemaVersion version, String role) {
        String describe() {
            return "'" + version.name() + "' (" + role + ")";
        }
    }

    private final String schema;
    private final boolean versionsAreDatabases;
    private final List<MigrationRow> migrations;
    private final Set<String> existingSchemas;
    private final MigrationRow latestComplete;
    private final MigrationRow inFlight;
    private final boolean acceptIncompleteBackfill;

    /**
     * @param versionsAreDatabases whether versions are databases (MariaDB, MySQL) rather than search_paths
     * @param migrations           the recorded migrations of {@code schema}, oldest first
     * @param existingSchemas      those of {@code schema} and the recorded version schemas that exist
     * @param acceptIncompleteBackfill whether the new version of the migration in flight may start before its
     *                             backfill has finished
     */
    VersionRules(String schema, boolean versionsAreDatabases, List<MigrationRow> migrations,
                 Set<String> existingSchemas, boolean acceptIncompleteBackfill) {
        this.schema = schema;
        this.versionsAreDatabases = versionsAreDatabases;
        this.migrations = List.copyOf(migrations);
        this.existingSchemas = Set.copyOf(existingSchemas);
        this.latestComplete = last(migrations.stream().filter(m -> COMPLETE.equals(m.phase())).toList());
        this.inFlight = last(migrations.stream().filter(m -> IN_FLIGHT.contains(m.phase())).toList());
        this.acceptIncompleteBackfill = acceptIncompleteBackfill;
    }

    /** The version named {@code wanted}, when the database offers it. */
    SchemaVersion resolve(String wanted) {
        if (!existingSchemas.contains(schema)) {
            throw new PhaseGuardException(wanted, List.of(), "the " + (versionsAreDatabases ? "database" : "schema")
                    + " '" + schema + "' whose tables the migrations change does not exist: set the guard's schema "
                    + "(PhaseGuard.Builder.schema, tandem.schema)" + (versionsAreDatabases
                    ? "; on MariaDB and MySQL it is the database of the tables, and has no default" : ""));
        }
        List<Offer> offers = offers();
        for (Offer offer : offers) {
            if (offer.version().name().equals(wanted)) {
                requireSchemasExist(offer.version());
                requireBackfill(offer.version(), offers);
                return offer.version();
            }
        }
        String offered = offers.isEmpty() ? "it offers none right now"
                : "it offers " + offers.stream().map(Offer::describe).collect(Collectors.joining(" and "));
        throw new PhaseGuardException(wanted, offers.stream().map(o -> o.version().name()).toList(),
                "this build is for schema version '" + wanted + "' of schema '" + schema + "', which the database "
                        + "does not offer: " + offered + ". " + refusal(wanted, offers));
    }

    private List<Offer> offers() {
        List<Offer> offers = new ArrayList<>();
        boolean oldLive = inFlight == null || OLD_VERSION_LIVE.contains(inFlight.phase());
        String oldRole = inFlight == null ? "current" : "old, until '" + inFlight.name() + "' is contracted";
        if (latestComplete == null && oldLive) {
            offers.add(new Offer(base(), oldRole));
        }
        for (MigrationRow m : migrations) {
            if (!COMPLETE.equals(m.phase())) {
                continue;
            }
            if (isOldVersionOfInFlight(m)) {
                if (oldLive) {
                    offers.add(new Offer(versionOf(m), oldRole));
                }
            } else if (m == latestComplete) {
                offers.add(new Offer(versionOf(m), "current"));
            } else if (existingSchemas.contains(m.versionSchema())) {
                offers.add(new Offer(versionOf(m), "earlier, its views still exist"));
            }
        }
        if (inFlight != null && NEW_VERSION_LIVE.contains(inFlight.phase())) {
            offers.add(new Offer(versionOf(inFlight), "new, '" + inFlight.name() + "' is " + inFlight.phase()));
        }
        return offers;
    }

    private String refusal(String wanted, List<Offer> offers) {
        String newer = offers.isEmpty() ? ""
                : " (for version '" + offers.get(offers.size() - 1).version().name() + "')";
        if (SchemaVersion.BASE.equals(wanted)) {
            return latestComplete != null
                    ? "Migration '" + latestComplete.name() + "' is complete, so the unmigrated schema is gone: deploy "
                    + "a newer build" + newer + "."
                    : contractBegun(wanted);
        }
        MigrationRow row = find(wanted);
        if (row == null) {
            String expand = "run `migrate expand <file of " + wanted + ">`";
            return "The database has never heard of version '" + wanted + "'. "
                    + (inFlight != null
                    ? "Migration '" + inFlight.name() + "' is " + inFlight.phase() + ": contract or roll it back, then "
                    + expand + ", then start this build."
                    : "To start this build, " + expand + " first.");
        }
        switch (row.phase()) {
            case EXPANDING:
                return "The expand of '" + wanted + "' has not finished: run `migrate expand " + row.source()
                        + "` again to finish it, then start this build.";
            case ROLLING_BACK:
                return "Migration '" + wanted + "' is being rolled back: keep running the build for version '"
                        + oldVersionName(row) + "', or finish the rollback (`migrate rollback " + wanted + "`) and "
                        + "expand again (`migrate expand " + row.source() + "`) before starting this build.";
            case ROLLED_BACK:
                return "Migration '" + wanted + "' was rolled back: run `migrate expand " + row.source()
                        + "` again first, or keep running the build that matches the database" + newer + ".";
            default:
                return isOldVersionOfInFlight(row) ? contractBegun(wanted)
                        : "The database has moved on past '" + wanted + "' (its views are gone): deploy a newer build"
                        + newer + ".";
        }
    }

    private String contractBegun(String wanted) {
        if (CONTRACTED_KEPT.equals(inFlight.phase())) {
            return "Migration '" + inFlight.name() + "' is contracted with the old shape kept, and no longer offers "
                    + "version '" + wanted + "': deploy a newer build (for version '" + inFlight.name() + "'), or "
                    + "bring this version back with `migrate revert " + inFlight.name() + "`.";
        }
        return "The contract of migration '" + inFlight.name() + "' has begun and removes version '" + wanted
                + "': deploy a newer build (for version '" + inFlight.name() + "').";
    }

    private void requireBackfill(SchemaVersion version, List<Offer> offers) {
        if (acceptIncompleteBackfill || inFlight == null || !inFlight.name().equals(version.name())
                || !EXPANDED.equals(inFlight.phase()) || inFlight.backfilled()) {
            return;
        }
        throw new PhaseGuardException(version.name(), offers.stream().map(o -> o.version().name()).toList(),
                "this build is for schema version '" + version.name() + "' of schema '" + schema + "', the new "
                        + "version of migration '" + inFlight.name() + "', whose backfill has not finished: rows it "
                        + "has not reached yet show this version NULL in its new columns, and Tandem refuses this "
                        + "version's writes that depend on them. Run `migrate backfill " + inFlight.name()
                        + "` to the end, then start this build; or, to start it before that on purpose, accept an "
                        + "incomplete backfill (PhaseGuard.Builder.acceptIncompleteBackfill(true), in Spring Boot "
                        + "tandem.accept-incomplete-backfill=true).");
    }

    private void requireSchemasExist(SchemaVersion version) {
        for (String s : version.requiredSchemas()) {
            if (!existingSchemas.contains(s)) {
                throw new PhaseGuardException(version.name(), List.of(), "schema '" + s + "' of version '"
                        + version.name() + "' does not exist, although Tandem's state offers that version: the state "
                        + "tables and the catalog disagree. Run `migrate status` and repair the database first.");
            }
        }
    }

    private boolean isOldVersionOfInFlight(MigrationRow m) {
        return inFlight != null && m.versionSchema().equals(inFlight.previousVersionSchema());
    }

    private String oldVersionName(MigrationRow m) {
        if (m.previousVersionSchema() == null) {
            return SchemaVersion.BASE;
        }
        return migrations.stream().filter(o -> o.versionSchema().equals(m.previousVersionSchema()))
                .map(MigrationRow::name).findFirst().orElse(m.previousVersionSchema());
    }

    private MigrationRow find(String name) {
        return migrations.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    private SchemaVersion base() {
        return versionsAreDatabases ? SchemaVersion.inDatabase(SchemaVersion.BASE, schema, schema)
                : new SchemaVersion(SchemaVersion.BASE, schema, List.of(schema));
    }

    private SchemaVersion versionOf(MigrationRow m) {
        return versionsAreDatabases ? SchemaVersion.inDatabase(m.name(), schema, m.versionSchema())
                : new SchemaVersion(m.name(), schema, List.of(m.versionSchema(), schema));
    }

    private static MigrationRow last(List<MigrationRow> rows) {
        return rows.isEmpty() ? null : rows.get(rows.size() - 1);
    }
}
