package dev.tandem.dualwrite;

import dev.tandem.state.MigrationRow;
import dev.tandem.state.VersionStack;
import dev.tandem.state.VersionStack.Version;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which schema versions a database offers, worked out by {@link VersionStack} from the migrations Tandem recorded
 * for one schema, and, for a version it does not offer, why not and what to do.
 *
 * <p>With one migration in flight, its old version (the previous complete migration, or base) is offered until its
 * contract begins, and its new version from the end of its expand. With several in flight (stacked: B expanded while
 * A is, so that its version builds on A's: base → A → A+B), every version still served is offered: base (or the
 * latest complete migration) until the contract of the first migration in flight begins, and each migration's version
 * from the end of its expand until the contract of the next migration built on it begins; a contract out of order
 * (B before A, their tables disjoint) removes every version B builds on. A version whose migration, or a migration it
 * builds on, is expanding, being rolled back or rolled back is not offered. Without one in flight, the latest
 * complete migration (or base) is offered, and so is any earlier complete migration whose views still exist.
 *
 * <p>A migration's version is only resolved once the backfill of its migration, and of every expanded migration it
 * builds on, has finished, unless the application accepts an incomplete backfill: until then the rows a backfill has
 * not reached show it NULL in that migration's new columns.
 */
final class VersionRules {
    private static final String EXPANDING = "expanding";
    private static final String EXPANDED = "expanded";
    /** Contracted with the old shape kept for a revert: like contracting to the old version, the new one runs. */
    private static final String CONTRACTED_KEPT = "contracted_kept";
    private static final String COMPLETE = "complete";
    private static final String ROLLING_BACK = "rolling_back";

    private final String schema;
    private final boolean versionsAreDatabases;
    private final VersionStack stack;
    private final Set<String> existingSchemas;
    private final boolean acceptIncompleteBackfill;

    /**
     * @param versionsAreDatabases whether versions are databases (MariaDB, MySQL) rather than search_paths
     * @param migrations           the recorded migrations of {@code schema}, oldest first
     * @param existingSchemas      those of {@code schema} and the recorded version schemas that exist
     * @param acceptIncompleteBackfill whether a migration's version may start before the backfills it depends on
     *                             have finished
     */
    VersionRules(String schema, boolean versionsAreDatabases, List<MigrationRow> migrations,
                 Set<String> existingSchemas, boolean acceptIncompleteBackfill) {
        this.schema = schema;
        this.versionsAreDatabases = versionsAreDatabases;
        this.stack = new VersionStack(migrations, existingSchemas);
        this.existingSchemas = Set.copyOf(existingSchemas);
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
        List<Version> offers = stack.offered();
        Optional<Version> found = stack.version(wanted);
        if (found.isPresent() && found.get().serving() != VersionStack.Serving.NOT_SERVED) {
            SchemaVersion version = schemaVersion(found.get());
            requireSchemasExist(version);
            requireBackfill(found.get(), offers);
            return version;
        }
        String offered = offers.isEmpty() ? "it offers none right now"
                : "it offers " + offers.stream().map(o -> "'" + o.name() + "' (" + o.role() + ")")
                .collect(Collectors.joining(" and "));
        throw new PhaseGuardException(wanted, names(offers), "this build is for schema version '" + wanted
                + "' of schema '" + schema + "', which the database does not offer: " + offered + ". "
                + refusal(wanted, found.orElse(null), offers));
    }

    private String refusal(String wanted, Version version, List<Version> offers) {
        String newer = offers.isEmpty() ? "" : " (for version '" + offers.get(offers.size() - 1).name() + "')";
        if (version == null) {
            String expand = "run `migrate expand <file of " + wanted + ">`";
            List<MigrationRow> inFlight = stack.inFlight();
            MigrationRow newest = inFlight.isEmpty() ? null : inFlight.get(inFlight.size() - 1);
            return "The database has never heard of version '" + wanted + "'. " + (newest == null
                    ? "To start this build, " + expand + " first."
                    : EXPANDED.equals(newest.phase())
                    ? "Migration '" + newest.name() + "' is expanded: " + expand + " (its version builds on '"
                    + newest.name() + "'), then start this build."
                    : "Migration '" + newest.name() + "' is " + newest.phase() + ": contract or roll it back, then "
                    + expand + ", then start this build.");
        }
        MigrationRow row = version.migration();
        MigrationRow blocked = version.blockedBy();
        if (blocked != null && blocked != row) {
            return "Migration '" + wanted + "' builds on migration '" + blocked.name() + "', which is "
                    + blocked.phase() + ", so its version is not made: keep running the build that matches the "
                    + "database" + newer + ".";
        }
        if (blocked != null) {
            switch (row.phase()) {
                case EXPANDING:
                    return "The expand of '" + wanted + "' has not finished: run `migrate expand " + row.source()
                            + "` again to finish it, then start this build.";
                case ROLLING_BACK:
                    return "Migration '" + wanted + "' is being rolled back: keep running the build for version '"
                            + version.buildsOn() + "', or finish the rollback (`migrate rollback " + wanted + "`) and "
                            + "expand again (`migrate expand " + row.source() + "`) before starting this build.";
                default:
                    return "Migration '" + wanted + "' was rolled back: run `migrate expand " + row.source()
                            + "` again first, or keep running the build that matches the database" + newer + ".";
            }
        }
        MigrationRow remover = version.removedBy();
        if (COMPLETE.equals(remover.phase())) {
            return row == null
                    ? "Migration '" + remover.name() + "' is complete, so the unmigrated schema is gone: deploy a "
                    + "newer build" + newer + "."
                    : "The database has moved on past '" + wanted + "' (its views are gone): deploy a newer build"
                    + newer + ".";
        }
        if (CONTRACTED_KEPT.equals(remover.phase())) {
            return "Migration '" + remover.name() + "' is contracted with the old shape kept, and no longer offers "
                    + "version '" + wanted + "': deploy a newer build (for version '" + remover.name() + "'), or "
                    + "bring this version back with `migrate revert " + remover.name() + "`.";
        }
        return "The contract of migration '" + remover.name() + "' has begun and removes version '" + wanted
                + "': deploy a newer build (for version '" + remover.name() + "').";
    }

    private void requireBackfill(Version version, List<Version> offers) {
        List<String> pending = version.backfillPending();
        if (acceptIncompleteBackfill || pending.isEmpty()) {
            return;
        }
        String name = version.name();
        List<String> under = pending.stream().filter(p -> !p.equals(name)).toList();
        String which = under.isEmpty()
                ? "the new version of migration '" + name + "', whose backfill has not finished: rows it has not "
                + "reached yet show this version NULL in its new columns"
                : "which builds on " + (under.size() == 1 ? "migration " : "migrations ") + quoted(under)
                + (under.size() == pending.size() ? "" : " and is the new version of migration '" + name + "'")
                + "; the backfill of " + quoted(pending) + " has not finished: rows " + (pending.size() == 1
                ? "it has" : "they have") + " not reached yet show this version NULL in new columns";
        throw new PhaseGuardException(name, names(offers), "this build is for schema version '" + name
                + "' of schema '" + schema + "', " + which + ", and Tandem refuses this version's writes that depend "
                + "on them. Run " + pending.stream().map(p -> "`migrate backfill " + p + "`")
                .collect(Collectors.joining(" and ")) + " to the end, then start this build; or, to start it before "
                + "that on purpose, accept an incomplete backfill (PhaseGuard.Builder.acceptIncompleteBackfill(true), "
                + "in Spring Boot tandem.accept-incomplete-backfill=true).");
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

    private SchemaVersion schemaVersion(Version version) {
        MigrationRow m = version.migration();
        if (m == null) {
            return versionsAreDatabases ? SchemaVersion.inDatabase(SchemaVersion.BASE, schema, schema)
                    : new SchemaVersion(SchemaVersion.BASE, schema, List.of(schema));
        }
        return versionsAreDatabases ? SchemaVersion.inDatabase(m.name(), schema, m.versionSchema())
                : new SchemaVersion(m.name(), schema, List.of(m.versionSchema(), schema));
    }

    private static List<String> names(List<Version> versions) {
        return versions.stream().map(Version::name).toList();
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(" and "));
    }
}
