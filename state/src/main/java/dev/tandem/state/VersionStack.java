package dev.tandem.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The schema versions that the recorded migrations of one schema make, and which of them applications may run on
 * now. The one place that knows: the dual-write library's guard accepts a version by it, the coordinator's instance
 * gate asks it which versions a contract or a rollback removes, and status shows it.
 *
 * <p>Each migration builds its version on the version its recorded previous version schema names, or on
 * {@value #BASE}, the unmigrated schema, when it names none: with one migration in flight on the latest complete
 * one (or base), with several in flight (stacked) each on the one expanded before it, so versions form chains such
 * as base → A → A+B (version {@code B} shows A's changes and B's). Along a chain:
 * <ul>
 * <li>A migration's version is made by the end of its expand (phases {@code expanded}, {@code contracting},
 *     {@code contracted_kept}, {@code complete}); while its migration is {@code expanding}, {@code rolling_back} or
 *     {@code rolled_back} it is not served.</li>
 * <li>A version is removed once the contract of a migration built on it, directly or through others, has begun
 *     ({@code contracting}, {@code contracted_kept}, {@code complete}): the contract of A removes base, that of B
 *     removes A, and base as well if it is still there (B contracted before A, their tables disjoint). A complete
 *     migration whose schema of views a later contract left standing is still served (role
 *     {@code earlier, its views still exist}); base never is once a contract has begun.</li>
 * <li>A version is served only while every migration it builds on still makes its own version: one being rolled
 *     back (or still expanding) takes the versions built on it down with it.</li>
 * <li>While the backfill of its own migration, or of an expanded migration it builds on, has not finished (no
 *     backfill since that migration's latest expand), rows it has not reached show the version NULL in their new
 *     columns: the version is {@link Serving#BACKFILL_PENDING}, served only to applications that accept an
 *     incomplete backfill.</li>
 * </ul>
 * So base (or the latest complete migration) is served until the contract of the first migration in flight begins,
 * each migration in flight from the end of its expand (and its backfill, and those of the migrations it builds on)
 * until the contract of the next one built on it begins. A contract removes the versions its migration builds on that
 * are still there ({@link #removedByContract}); a rollback removes its migration's version and every version built on
 * it ({@link #removedByRollback}).
 */
public final class VersionStack {
    /** The version of a schema no migration has changed. */
    public static final String BASE = "base";

    private static final String EXPANDED = "expanded";
    private static final String CONTRACTED_KEPT = "contracted_kept";
    private static final String COMPLETE = "complete";
    private static final String ROLLED_BACK = "rolled_back";
    /** Phases in which a migration's version is made: its expand has finished, and no rollback has begun. */
    private static final Set<String> MADE = Set.of(EXPANDED, "contracting", CONTRACTED_KEPT, COMPLETE);
    /** Phases in which a migration's contract has begun, removing the versions it builds on. */
    private static final Set<String> CONTRACT_BEGUN = Set.of("contracting", CONTRACTED_KEPT, COMPLETE);
    private static final Set<String> IN_FLIGHT = Set.of("expanding", EXPANDED, "contracting", CONTRACTED_KEPT,
            "rolling_back");

    /** Whether applications of a version may start. */
    public enum Serving {
        /** They may. */
        SERVED,
        /** Only those that accept an incomplete backfill may: {@link Version#backfillPending()} has not finished. */
        BACKFILL_PENDING,
        /** None may: the version is not made yet, or no longer. */
        NOT_SERVED
    }

    /**
     * One version.
     *
     * @param name            the migration that made it, or {@value #BASE}
     * @param migration       that migration's row; null for base
     * @param buildsOn        the version it builds on: a migration's name, {@value #BASE}, or the recorded previous
     *                        version schema when no recorded migration has it; null for base
     * @param serving         whether applications of it may start now
     * @param role            how it is served ({@code current}, {@code old, until 'M' is contracted},
     *                        {@code new, 'M' is expanded; old, until 'N' is contracted}, {@code earlier, its views
     *                        still exist}), or why not ({@code not made, 'M' is expanding}, {@code removed,
     *                        'N' is contracting}, …)
     * @param removedBy       the migration built on it whose contract removed it (the latest complete one, else the
     *                        first whose contract began); null while none has
     * @param blockedBy       the migration nearest to it, itself included, that does not make its version
     *                        (expanding, rolling back, rolled back), so that this version is not served; null when none
     * @param backfillPending the migrations, its own and the expanded ones it builds on, oldest first, whose backfill
     *                        has not finished since their latest expand
     */
    public record Version(String name, MigrationRow migration, String buildsOn, Serving serving, String role,
                          MigrationRow removedBy, MigrationRow blockedBy, List<String> backfillPending) {
        public Version {
            backfillPending = List.copyOf(backfillPending);
        }
    }

    private final List<MigrationRow> migrations;
    private final Map<String, MigrationRow> byVersionSchema = new HashMap<>();
    /** For each version a contract removed, the latest complete migration that did, else the first begun. */
    private final Map<String, MigrationRow> removedBy = new HashMap<>();
    private final Map<String, Version> versions = new LinkedHashMap<>();

    /**
     * @param migrations      the migrations recorded for one schema, oldest first
     * @param existingSchemas those of the migrations' version schemas that exist; they only decide whether an
     *                        earlier complete version, which a later contract removed, is still served
     */
    public VersionStack(List<MigrationRow> migrations, Set<String> existingSchemas) {
        this.migrations = List.copyOf(migrations);
        for (MigrationRow m : this.migrations) {
            byVersionSchema.putIfAbsent(m.versionSchema(), m);
        }
        for (MigrationRow m : this.migrations) {
            if (CONTRACT_BEGUN.contains(m.phase())) {
                for (String removed : ancestors(m)) {
                    MigrationRow earlier = removedBy.get(removed);
                    if (earlier == null || COMPLETE.equals(m.phase())) {
                        removedBy.put(removed, m);
                    }
                }
            }
        }
        versions.put(BASE, version(null, existingSchemas));
        for (MigrationRow m : this.migrations) {
            versions.putIfAbsent(m.name(), version(m, existingSchemas));
        }
    }

    /** Base first, then the version of every recorded migration, oldest first, rolled-back ones included. */
    public List<Version> versions() {
        return List.copyOf(versions.values());
    }

    /** The version named {@code name}; empty when no migration of that name is recorded. */
    public Optional<Version> version(String name) {
        return Optional.ofNullable(versions.get(name));
    }

    /** The versions applications may start on, oldest first, those waiting for a backfill included. */
    public List<Version> offered() {
        return versions.values().stream().filter(v -> v.serving() != Serving.NOT_SERVED).toList();
    }

    /** The migrations in flight (expanding to rolling back), oldest first. */
    public List<MigrationRow> inFlight() {
        return migrations.stream().filter(m -> IN_FLIGHT.contains(m.phase())).toList();
    }

    /**
     * The versions the contract of {@code migration} removes: those it builds on, directly or through others, that
     * no earlier contract removed, nearest first. In order (A before B) that is the one it builds on.
     */
    public List<String> removedByContract(String migration) {
        MigrationRow row = row(migration);
        List<String> removed = new ArrayList<>();
        for (String each : ancestors(row)) {
            Version v = versions.get(each);
            if (v == null || v.removedBy() == null && (v.migration() == null || MADE.contains(v.migration().phase()))) {
                removed.add(each);
            }
        }
        return removed;
    }

    /** The versions the rollback of {@code migration} removes: its own and every version built on it, oldest first. */
    public List<String> removedByRollback(String migration) {
        List<String> removed = new ArrayList<>();
        removed.add(migration);
        for (MigrationRow m : migrations) {
            if (!ROLLED_BACK.equals(m.phase()) && ancestors(m).contains(migration)) {
                removed.add(m.name());
            }
        }
        return removed;
    }

    private Version version(MigrationRow m, Set<String> existingSchemas) {
        String name = m == null ? BASE : m.name();
        String buildsOn = m == null ? null : parentName(m);
        MigrationRow removedBy = this.removedBy.get(name);
        MigrationRow blockedBy = m == null ? null : blockedBy(m);
        List<String> oldFor = migrations.stream()
                .filter(c -> IN_FLIGHT.contains(c.phase()) && name.equals(parentName(c)))
                .map(c -> "'" + c.name() + "'").toList();
        String role;
        boolean served;
        if (blockedBy != null) {
            served = false;
            role = blockedBy == m ? (ROLLED_BACK.equals(m.phase()) ? "rolled back" : "not made, '" + name + "' is "
                    + m.phase()) : "not made, '" + blockedBy.name() + "', which it builds on, is " + blockedBy.phase();
        } else if (removedBy != null) {
            served = m != null && COMPLETE.equals(m.phase()) && COMPLETE.equals(removedBy.phase())
                    && existingSchemas.contains(m.versionSchema());
            role = served ? "earlier, its views still exist" : "removed, '" + removedBy.name() + "' is "
                    + removedBy.phase();
        } else {
            served = true;
            String old = oldFor.isEmpty() ? null : "old, until " + String.join(" and ", oldFor)
                    + (oldFor.size() > 1 ? " are" : " is") + " contracted";
            if (m != null && !COMPLETE.equals(m.phase())) {
                role = "new, '" + name + "' is " + m.phase() + (old == null ? "" : "; " + old);
            } else {
                role = old == null ? "current" : old;
            }
        }
        List<String> pending = served && m != null ? backfillPending(m) : List.of();
        Serving serving = !served ? Serving.NOT_SERVED
                : pending.isEmpty() ? Serving.SERVED : Serving.BACKFILL_PENDING;
        return new Version(name, m, buildsOn, serving, role, removedBy, blockedBy, pending);
    }

    private MigrationRow blockedBy(MigrationRow m) {
        return inFlightChain(m).stream().filter(each -> !MADE.contains(each.phase())).findFirst().orElse(null);
    }

    private List<String> backfillPending(MigrationRow m) {
        List<String> pending = new ArrayList<>();
        for (MigrationRow each : inFlightChain(m)) {
            if (EXPANDED.equals(each.phase()) && !each.backfilled()) {
                pending.add(0, each.name());
            }
        }
        return pending;
    }

    /**
     * {@code m} and the recorded migrations it builds on, nearest first, up to the first complete one: what lies
     * below a complete migration was complete before it, and neither blocks a version nor holds up its backfill.
     */
    private List<MigrationRow> inFlightChain(MigrationRow m) {
        List<MigrationRow> chain = new ArrayList<>();
        Set<MigrationRow> seen = new HashSet<>();
        for (MigrationRow each = m; each != null && seen.add(each); each = parent(each)) {
            chain.add(each);
            if (COMPLETE.equals(each.phase())) {
                break;
            }
        }
        return chain;
    }

    /** The names of the versions {@code m} builds on, nearest first, ending with base when the chain reaches it. */
    private List<String> ancestors(MigrationRow m) {
        List<String> names = new ArrayList<>();
        Set<MigrationRow> seen = new HashSet<>();
        for (MigrationRow each = m; each != null && seen.add(each); each = parent(each)) {
            names.add(parentName(each));
        }
        return names;
    }

    private MigrationRow parent(MigrationRow m) {
        return m.previousVersionSchema() == null ? null : byVersionSchema.get(m.previousVersionSchema());
    }

    private String parentName(MigrationRow m) {
        if (m.previousVersionSchema() == null) {
            return BASE;
        }
        MigrationRow parent = byVersionSchema.get(m.previousVersionSchema());
        return parent == null ? m.previousVersionSchema() : parent.name();
    }

    private MigrationRow row(String name) {
        return migrations.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no migration named '" + name + "' is recorded"));
    }
}
