package dev.tandem.coordinator.internal.engine;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.SyncTrigger;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.migration.Database;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.internal.operation.Operation;
import dev.tandem.coordinator.internal.operation.OperationException;
import dev.tandem.coordinator.internal.operation.PhaseContext;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.internal.sql.Quoting;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Turns a migration and the catalog it starts from into the plan of each phase. The models are replayed
 * from the snapshot every time, so a plan is the same on any machine and after any crash.
 */
public final class PlanBuilder {
    /** A foreign key action that changes referencing rows (ON DELETE CASCADE deletes them instead). */
    private static final Pattern CASCADING_ACTION = Pattern.compile(
            "ON UPDATE (CASCADE|SET NULL|SET DEFAULT)|ON DELETE SET (NULL|DEFAULT)");
    private final Dialect dialect;
    private final Migration migration;
    private final List<Operation> operations;
    private final String schema;
    private final String stateSchema;
    private final String versionSchema;
    private final String previousVersionSchema;
    private final SchemaModel start;
    private final CopyStrategy strategy;
    private final Stacking stacking;
    private final List<SchemaModel> befores = new ArrayList<>();
    private final List<SchemaModel> afters = new ArrayList<>();
    private final SchemaModel end;
    /** Each plan, built the first time it is asked for: a command plans once. */
    private Collector expansion;
    /** What an operation refuses at expand only (see {@link SchemaModel#refuseExpand}); null when nothing. */
    private String expandRefusal;
    private PhasePlan expand;
    private PhasePlan contract;
    private PhasePlan rollback;
    private List<BackfillTarget> backfillTargets;
    private Set<String> touchedTables;

    public PlanBuilder(Dialect dialect, Migration migration, CatalogSnapshot snapshot, String stateSchema,
                       String previousVersionSchema) {
        this(dialect, migration, snapshot, stateSchema, previousVersionSchema, Stacking.NONE);
    }

    /**
     * @param migration read for any database: the plan takes {@code dialect}'s expressions where it gives one per
     *     database
     * @param previousVersionSchema the old version's schema of views, dropped at contract; may be null
     * @param stacking              the migrations in flight below and above this one
     * @throws InvalidMigrationException when an operation does not fit the schema
     */
    public PlanBuilder(Dialect dialect, Migration migration, CatalogSnapshot snapshot, String stateSchema,
                       String previousVersionSchema, Stacking stacking) {
        this.dialect = dialect;
        this.migration = migration.on(dialect.database());
        this.operations = Operation.of(this.migration);
        this.schema = snapshot.schema();
        this.stateSchema = stateSchema;
        this.versionSchema = dialect.versionSchema(schema, migration.name());
        this.previousVersionSchema = previousVersionSchema;
        this.stacking = stacking;
        SchemaModel original = stacking.start() != null ? stacking.start().from(snapshot) : SchemaModel.of(snapshot);
        try {
            // by the level, which the records fix, not by the migrations still in flight below: once they are
            // complete, the plan must still be the one expand ran
            this.strategy = CopyStrategy.choose(dialect.copiesTables(), stacking.level() == 0 ? null
                    : "it is stacked on migrations in flight, and a stacked migration changes its tables in place",
                    operations, original);
        } catch (CopyStrategy.Refusal e) {
            throw new InvalidMigrationException(migration.source() + ": " + migration.describe(e.index()) + ": "
                    + e.getMessage());
        }
        this.start = original.withCopies(strategy.copied());
        for (PlanBuilder below : stacking.below()) {
            if (!below.strategy.copied().isEmpty()) {
                throw new InvalidMigrationException(migration.source() + ": migration '" + below.migration.name()
                        + "' below it copies table(s) " + below.strategy.copied() + " (table-copy strategy), which a "
                        + "stacked migration cannot build on: contract or roll back '" + below.migration.name()
                        + "' first, or give its alter_column 'strategy: in_place'");
            }
        }
        SchemaModel current = start.copy();
        for (int i = 0; i < operations.size(); i++) {
            befores.add(current.copy());
            try {
                operations.get(i).apply(current);
            } catch (OperationException e) {
                throw new InvalidMigrationException(migration.source() + ": " + migration.describe(i) + ": "
                        + e.getMessage());
            }
            String refusal = current.takeExpandRefusal();
            if (refusal != null && expandRefusal == null) {
                expandRefusal = migration.source() + ": " + migration.describe(i) + ": " + refusal;
            }
            String collision = caseCollision(current);
            if (collision != null) {
                throw new InvalidMigrationException(migration.source() + ": " + migration.describe(i) + ": "
                        + collision);
            }
            afters.add(current.copy());
        }
        this.end = current;
        for (TableModel table : end.tables()) {
            if (table.name().equals(versionSchema)) {
                throw new InvalidMigrationException(migration.source() + ": table name '" + table.name()
                        + "' collides with the version schema's name");
            }
        }
    }

    /** Two names the database would take for the same table or column, described; null when there are none. */
    private String caseCollision(SchemaModel model) {
        if (dialect.tableNamesIgnoreCase()) {
            String tables = sameIgnoringCase(model.tables().stream().map(t -> List.of(t.name(), t.physical())).toList());
            if (tables != null) {
                return "tables " + tables + " differ only in case, and this database (lower_case_table_names) "
                        + "takes them for the same table";
            }
        }
        if (dialect.columnNamesIgnoreCase()) {
            for (TableModel table : model.tables()) {
                String columns = sameIgnoringCase(table.columns().stream()
                        .map(c -> List.of(c.name(), c.physical())).toList());
                if (columns != null) {
                    return "columns " + columns + " of table '" + table.name() + "' differ only in case, and this "
                            + "database takes them for the same column";
                }
            }
        }
        return null;
    }

    /** Two names of different objects (each object known by one or more names) equal ignoring case, or null. */
    private static String sameIgnoringCase(List<List<String>> objects) {
        Map<String, Integer> owners = new HashMap<>();
        Map<String, String> spelled = new HashMap<>();
        for (int i = 0; i < objects.size(); i++) {
            for (String name : objects.get(i)) {
                String folded = name.toLowerCase(Locale.ROOT);
                Integer owner = owners.putIfAbsent(folded, i);
                if (owner == null) {
                    spelled.put(folded, name);
                } else if (owner != i) {
                    return "'" + spelled.get(folded) + "' and '" + name + "'";
                }
            }
        }
        return null;
    }

    public String versionSchema() {
        return versionSchema;
    }

    /** The schema as the new version sees it once the migration applies. */
    public SchemaModel end() {
        return end;
    }

    public PhasePlan expand() {
        if (expand == null) {
            expand = planExpand();
        }
        return expand;
    }

    private PhasePlan planExpand() {
        if (expandRefusal != null) {
            throw new InvalidMigrationException(expandRefusal);
        }
        Collector c = expansion();
        c.copies.forEach((table, copy) -> {
            TableModel old = start.tableByPhysical(table).orElseThrow();
            c.main.add(c.action(Stage.MAIN, copy.origin, new Ddl.CreateCopy(new TableRef(schema, table), copyOf(table),
                    List.copyOf(copy.columns.values()), copy.columns.keySet().stream()
                    .filter(column -> old.columnByPhysical(column).isEmpty()).toList(),
                    copy.constraints.stream()
                    .filter(k -> k.kind() != ConstraintDef.Kind.UNIQUE).toList(), Map.copyOf(copy.renamedChecks),
                    copiedForeignKeys(table))));
            c.main.add(c.action(Stage.MAIN, copy.origin, tableCopyTriggers(table, copy, Ddl.TableCopyTriggers.Step.CREATE)));
        });
        List<Ddl> views = new ArrayList<>();
        views.add(new Ddl.CreateSchema(versionSchema));
        for (TableModel table : end.tables()) {
            views.add(start.copied(table.physical()) ? copyView(table, true)
                    : new Ddl.CreateVersionView(new TableRef(versionSchema, table.name()),
                    new TableRef(schema, table.physical()), table.columns().stream()
                    .map(col -> new Ddl.ViewColumn(col.physical(), col.name())).toList()));
        }
        // the schema's views and system-versioned tables (MariaDB, where the new version uses the version database
        // only): shown as they are, the migration changes none of them
        start.others().stream().filter(name -> end.table(name).isEmpty()).forEach(name -> views.add(
                new Ddl.CreateVersionView(new TableRef(versionSchema, name), new TableRef(schema, name), List.of())));
        views.forEach(ddl -> c.main.add(c.action(Stage.MAIN, "version schema " + versionSchema, ddl)));
        c.versionDefaults.forEach((key, value) -> {
            TableModel table = end.tableByPhysical(key.table()).orElse(null);
            ColumnModel column = table == null ? null : table.columnByPhysical(key.column()).orElse(null);
            if (column != null) {
                boolean onlyNew = start.tableByPhysical(key.table()).flatMap(t -> t.columnByPhysical(key.column()))
                        .isEmpty();
                Ddl ddl = new Ddl.SetViewDefault(new TableRef(versionSchema, table.name()), column.name(), value,
                        new TableRef(schema, key.table()), onlyNew ? key.column() : null);
                try {
                    c.main.add(c.action(Stage.MAIN, "version schema " + versionSchema, ddl));
                } catch (OperationException e) {
                    throw new InvalidMigrationException(migration.source() + ": " + c.defaultOrigins.get(key) + ": "
                            + e.getMessage());
                }
            }
        });
        requireNewKeysSeenByTriggers(c);
        for (PlanBuilder below : stacking.below()) {
            for (SyncTrigger trigger : below.expansion().triggers()) {
                c.main.add(c.action(Stage.MAIN, "sync trigger of " + below.migration.name() + " on "
                        + trigger.table().name() + ", for the versions stacked on it",
                        new Ddl.CreateSyncTrigger(trigger, true)));
            }
        }
        List<Action> probes = new ArrayList<>();
        for (SyncTrigger trigger : c.triggers()) {
            c.main.add(c.action(Stage.MAIN, "sync trigger on " + trigger.table().name(),
                    new Ddl.CreateSyncTrigger(trigger)));
            for (boolean down : List.of(false, true)) {
                for (SyncTrigger.Rule rule : down ? trigger.down() : trigger.up()) {
                    probes.add(c.action(Stage.MAIN, c.ruleOrigins.get(rule), new Ddl.SyncProbe(trigger, rule, down)));
                }
            }
        }
        Map<List<String>, Action> backfillProbes = new LinkedHashMap<>();
        c.probes.forEach(probe -> backfillProbes.putIfAbsent(probe.sql(), probe));
        probes.addAll(backfillProbes.values());
        // inside expand's transaction where it has one, over the columns and views it made; else before any change,
        // except for an expression that reads a table this migration creates, which can only run once it exists
        if (dialect.transactionalDdl()) {
            c.main.addAll(probes);
        } else {
            List<Action> late = probes.stream().filter(this::readsNewTable).toList();
            c.main.addAll(0, probes.stream().filter(probe -> !late.contains(probe)).toList());
            c.main.addAll(late);
        }
        backfillTargets();
        return c.plan(PhaseKind.EXPAND);
    }

    /** Whether a probe's expression names a table that does not exist before this migration. */
    private boolean readsNewTable(Action probe) {
        SqlExpression expression = probe.ddl() instanceof Ddl.SyncProbe sync ? sync.rule().expression()
                : probe.ddl() instanceof Ddl.Probe plain ? plain.expression() : null;
        if (expression == null) {
            return false;
        }
        return end.tables().stream().filter(t -> start.tableByPhysical(t.physical()).isEmpty())
                .anyMatch(t -> expression.referencedNames().stream().anyMatch(name -> name.equalsIgnoreCase(t.physical())));
    }

    /**
     * The new version's views are left in place: they name physical columns by position, so the renames and
     * drops of contract carry them along and the new version never sees its schema disappear.
     */
    public PhasePlan contract() {
        if (contract == null) {
            contract = planContract();
        }
        return contract;
    }

    private PhasePlan planContract() {
        Collector expand = expansion();
        Collector c = collect(Operation::contract, true);
        // before the transaction no table or column has been renamed yet, whatever the operations' order
        c.before.clear();
        c.before.addAll(collect(Operation::contract, false).before);
        List<Action> main = new ArrayList<>();
        if (previousVersionSchema != null) {
            main.add(c.action(Stage.MAIN, "old version schema " + previousVersionSchema,
                    new Ddl.DropSchema(previousVersionSchema)));
        }
        List<Action> fences = new ArrayList<>();
        expand.copies.forEach((table, copy) -> {
            // while the triggers still keep both tables in step, so each row's parent is in the copy as well
            referencingKeys(table, Ddl.ReferencingKey.Step.DROP_ORIGINAL)
                    .forEach(key -> fences.add(c.action(Stage.MAIN, copy.origin, key)));
            fences.add(c.action(Stage.MAIN, copy.origin, tableCopyTriggers(table, copy, Ddl.TableCopyTriggers.Step.FENCE)));
            main.addAll(swap(c, table, copy));
        });
        SchemaModel contracted = contracted();
        if (dialect.viewsFollowRenames()) {
            // before the old columns go: no view of a live version below may still read them
            main.addAll(lowerVersionViews(c, end));
        }
        main.addAll(dialect.viewsFollowRenames() ? c.main : switchedUnderLock(c, expand.triggers()));
        if (!dialect.viewsFollowRenames()) {
            // the views still name the columns and tables as they were before contract's renames
            for (String physical : touchedTables()) {
                end.tableByPhysical(physical).ifPresent(table -> main.add(c.action(Stage.MAIN,
                        "version schema " + versionSchema, new Ddl.CreateVersionView(
                        new TableRef(versionSchema, table.name()), new TableRef(schema, table.name()),
                        table.columns().stream().map(col -> new Ddl.ViewColumn(col.name(), col.name())).toList()))));
            }
            main.addAll(lowerVersionViews(c, contracted));
        }
        main.addAll(restacked(c, contracted, true));
        c.main.clear();
        c.main.addAll(fences);
        c.main.addAll(withoutTriggers(c, expand.triggers(), true, main));
        requireOnlineContract(c);
        return c.plan(PhaseKind.CONTRACT);
    }

    /**
     * Refuses a column drop or a NOT NULL (MODIFY) of contract that MariaDB makes only by rebuilding the table while
     * writes wait, so contract failed at that step on every run: either on a table with a FULLTEXT index (MySQL
     * family, the only one with such indexes; error 1846, "Fulltext index creation requires a lock"), or a NOT NULL
     * of a TIMESTAMP column with a non-constant default ("cannot convert NULL to non-constant DEFAULT"; the table copy
     * makes it where the table can be copied). Planned with expand, so nothing has changed yet.
     */
    private void requireOnlineContract(Collector c) {
        for (List<Action> actions : List.of(c.before, c.main, c.after)) {
            for (Action action : actions) {
                Ddl ddl = action.ddl() instanceof Ddl.SwitchUnderLock lock ? lock.change() : action.ddl();
                String column = ddl instanceof Ddl.DropColumn drop ? drop.column()
                        : ddl instanceof Ddl.SetNotNull notNull ? notNull.column()
                        : ddl instanceof Ddl.ValidateConstraint validate ? validate.notNullColumn() : null;
                if (column == null) {
                    continue;
                }
                String table = ddl.target().name();
                ColumnModel made = end.tableByPhysical(table).flatMap(t -> t.columnByPhysical(column)).orElse(null);
                if (dialect.database() == Database.MARIADB && !(ddl instanceof Ddl.DropColumn) && made != null
                        && made.type().strip().toLowerCase(Locale.ROOT).startsWith("timestamp")
                        && made.defaultValue() != null && !SqlExpression.fromCatalog(made.defaultValue()).isConstant()) {
                    throw new InvalidMigrationException(migration.source() + ": " + action.origin() + ": contract would"
                            + " make TIMESTAMP column '" + made.name() + "' of table '" + table + "' NOT NULL, whose"
                            + " default (" + made.defaultValue() + ") is not a constant: MariaDB does that only by"
                            + " rebuilding the table while writes wait (\"cannot convert NULL to non-constant"
                            + " DEFAULT\"), not online, and the table is not copied here (plan says why). Use DATETIME, or keep the"
                            + " column nullable; nothing was changed");
                }
                List<String> fullText = start.originalIndexes(table).stream()
                        .filter(index -> "fulltext".equals(index.method())).map(CatalogSnapshot.Index::name).toList();
                if (!fullText.isEmpty()) {
                    throw new InvalidMigrationException(migration.source() + ": " + action.origin() + ": contract would "
                            + (ddl instanceof Ddl.DropColumn ? "drop" : "make NOT NULL") + " column '" + column
                            + "' of table '" + table + "', which has FULLTEXT index " + fullText + ": MariaDB does that"
                            + " only by rebuilding the table while writes wait (\"Fulltext index creation requires a"
                            + " lock\"), not online. Drop the FULLTEXT index in an earlier migration, or make the change"
                            + " by hand in a maintenance window; nothing was changed");
                }
            }
        }
    }

    /** The new version's view of a copied table, over the copy; while {@code filling}, refusing every statement. */
    private Ddl.CreateVersionView copyView(TableModel table, boolean filling) {
        return new Ddl.CreateVersionView(new TableRef(versionSchema, table.name()), copyOf(table.physical()),
                table.columns().stream().map(col -> new Ddl.ViewColumn(col.physical(), col.name())).toList(), filling,
                false);
    }

    /**
     * What the backfill does once it has filled every table copy: the unique indexes of its unique constraints
     * (while it fills, the batches' {@code ON DUPLICATE KEY UPDATE}, meant for rows the triggers copied first, would
     * skip a row that breaks one; built on the filled copy, an index refuses the first), the copies' triggers, which
     * bring the new version's writes to the old version's tables, the second keys of the tables whose foreign keys
     * refer to a copied table, and the new version's views of the copies, which refused every statement until then.
     * Repeated after every backfill run, as each statement can be.
     */
    public PhasePlan finishBackfill() {
        Collector expand = expansion();
        Collector c = new Collector(false);
        expand.copies.forEach((table, copy) -> {
            copy.constraints.stream().filter(k -> k.kind() == ConstraintDef.Kind.UNIQUE).forEach(k -> c.main.add(
                    c.action(Stage.MAIN, copy.origin, new Ddl.CreateIndex(copyOf(table), k.name(), k.columns(), true,
                            null, null))));
            c.main.add(c.action(Stage.MAIN, copy.origin, tableCopyTriggers(table, copy, Ddl.TableCopyTriggers.Step.CREATE_COPY)));
            referencingKeys(table, Ddl.ReferencingKey.Step.ADD).forEach(key -> c.main.add(c.action(Stage.MAIN,
                    copy.origin, key)));
            c.main.add(c.action(Stage.MAIN, copy.origin, copyView(end.tableByPhysical(table).orElseThrow(), false)));
        });
        return c.plan(PhaseKind.BACKFILL);
    }

    /** The copy of a table the table-copy strategy fills, until contract gives it the table's name. */
    private TableRef copyOf(String physicalTable) {
        return new TableRef(schema, Names.bounded("_tandem_new_" + physicalTable));
    }

    /** The table's foreign keys, each to the name its copy gives it until the original is dropped. */
    private Map<String, String> copiedForeignKeys(String table) {
        Map<String, String> keys = new LinkedHashMap<>();
        start.tableByPhysical(table).orElseThrow().foreignKeyNames()
                .forEach(name -> keys.put(name, Names.bounded("_tandem_" + name)));
        return keys;
    }

    /**
     * The foreign keys of the other tables that refer to a copied table, as {@code step} changes them: each such table
     * holds a second key to the copy from the end of the backfill to contract, which swaps the copy in with the second
     * keys only and gives them the original keys' names.
     */
    private List<Ddl.ReferencingKey> referencingKeys(String table, Ddl.ReferencingKey.Step step) {
        List<Ddl.ReferencingKey> keys = new ArrayList<>();
        for (TableModel other : start.tables()) {
            if (!other.physical().equals(table)) {
                other.foreignKeysTo(table).forEach(name -> keys.add(new Ddl.ReferencingKey(
                        new TableRef(schema, other.physical()), name, copyOf(table), Names.bounded("_tandem_" + name),
                        step)));
            }
        }
        return keys;
    }

    /** The triggers that keep a table and its copy in step in both directions. */
    private Ddl.TableCopyTriggers tableCopyTriggers(String table, Copy copy, Ddl.TableCopyTriggers.Step step) {
        TableModel old = start.tableByPhysical(table).orElseThrow();
        TableModel now = end.tableByPhysical(table).orElseThrow();
        // a column only the copy has is always in copy.up; a generated column computes itself in each table
        List<SyncTrigger.Rule> up = now.columns().stream().filter(col -> !computed(table, col))
                .map(col -> new SyncTrigger.Rule(col.physical(), copy.up.containsKey(col.physical())
                        ? copy.up.get(col.physical()) : SqlExpression.parse(Quoting.ident(
                        old.columnByPhysical(col.physical()).orElseThrow().name())), false)).toList();
        List<SyncTrigger.Rule> down = old.columns().stream().filter(col -> !computed(table, col))
                .map(col -> new SyncTrigger.Rule(col.physical(), copy.down.containsKey(col.physical())
                        ? copy.down.get(col.physical()) : SqlExpression.parse(Quoting.ident(
                        now.columnByPhysical(col.physical()).orElseThrow().name())), false)).toList();
        SyncTrigger sync = new SyncTrigger(new TableRef(schema, table), stateSchema,
                Names.bounded("_tandem_" + migration.name() + "_" + table), versionSchema, List.of(), 0,
                variables(old), up, variables(now), down, now.name());
        return new Ddl.TableCopyTriggers(sync, copyOf(table), old.primaryKey(), generatedKey(old, down), step);
    }

    /** A generated ({@code AS (…)}) column of the table before the migration, which no statement may write. */
    private boolean computed(String table, ColumnModel column) {
        return start.originalColumn(table, column.physical()).filter(c -> c.generated() && !c.autoIncrement())
                .isPresent();
    }

    /**
     * The table's one-column key when AUTO_INCREMENT fills it and no {@code down} rule but its own reads it: the copy's
     * trigger then takes the key of a new-version insert from the original's counter, before the row has it.
     */
    private String generatedKey(TableModel old, List<SyncTrigger.Rule> down) {
        if (old.primaryKey().size() != 1 || !start.originalColumn(old.physical(), old.primaryKey().get(0))
                .map(CatalogSnapshot.Column::autoIncrement).orElse(false)) {
            return null;
        }
        String key = old.primaryKey().get(0);
        boolean read = down.stream().filter(rule -> !rule.targetColumn().equals(key)).anyMatch(rule ->
                readColumns(end, old.physical(), rule.expression()).stream().anyMatch(c -> c.physical().equals(key)));
        return read ? null : key;
    }

    private static List<SyncTrigger.Variable> variables(TableModel table) {
        return table.columns().stream().map(col -> new SyncTrigger.Variable(col.name(), col.physical(), col.type()))
                .toList();
    }

    /**
     * Contract's steps for a copied table, after the fence that refuses the old version's writes and drops the copy's
     * triggers (nothing needs the original any more, and rollback is refused from contract's first step): the
     * original is set aside (nobody uses it now: the new version's views select from the copy), the copy takes its
     * name under a lock on the new version's view, which a second session makes again over the renamed table (the
     * second keys of the tables that refer to it follow the rename), the original is dropped, and the copy's foreign
     * keys and those second keys take the names the original's keys had.
     */
    private List<Action> swap(Collector c, String table, Copy copy) {
        TableRef copyRef = copyOf(table);
        String aside = Names.bounded("_tandem_old_" + table);
        TableModel now = end.tableByPhysical(table).orElseThrow();
        Ddl.CreateVersionView view = new Ddl.CreateVersionView(new TableRef(versionSchema, now.name()),
                new TableRef(schema, table), now.columns().stream()
                .map(col -> new Ddl.ViewColumn(col.physical(), col.name())).toList());
        List<Action> steps = new ArrayList<>(List.of(
                c.action(Stage.MAIN, copy.origin, new Ddl.SetAside(new TableRef(schema, table), copyRef.name(), aside)),
                c.action(Stage.MAIN, copy.origin, new Ddl.SwitchUnderLock(copyRef, new Ddl.RenameTable(copyRef, table),
                        null, view, List.of(), List.of())),
                c.action(Stage.MAIN, copy.origin, new Ddl.DropTable(new TableRef(schema, aside)))));
        copiedForeignKeys(table).forEach((name, copyName) -> steps.add(c.action(Stage.MAIN, copy.origin,
                new Ddl.RenameConstraint(new TableRef(schema, table), copyName, name, ConstraintDef.Kind.FOREIGN_KEY))));
        referencingKeys(table, Ddl.ReferencingKey.Step.DROP_ORIGINAL).forEach(key -> steps.add(c.action(Stage.MAIN,
                copy.origin, new Ddl.RenameConstraint(key.table(), key.copyName(), key.name(),
                        ConstraintDef.Kind.FOREIGN_KEY))));
        return steps;
    }

    /**
     * Contract with {@code --keep}: only the old version's schema of views goes. The tables, their old columns and
     * the sync triggers stay, so the new version keeps its views unchanged and the old shape stays up to date.
     */
    public PhasePlan keep() {
        Collector c = new Collector(false);
        if (previousVersionSchema != null) {
            c.main.add(c.action(Stage.MAIN, "old version schema " + previousVersionSchema,
                    new Ddl.DropSchema(previousVersionSchema)));
        }
        return c.plan(PhaseKind.KEEP);
    }

    /**
     * The old version's schema of views made again over the kept tables, as they were before expand (the tables
     * are still in that shape: {@link #keep()} changed none of them). Nothing when the old version used the tables.
     */
    public PhasePlan revert() {
        Collector c = new Collector(false);
        if (previousVersionSchema != null) {
            String origin = "old version schema " + previousVersionSchema;
            c.main.add(c.action(Stage.MAIN, origin, new Ddl.CreateSchema(previousVersionSchema)));
            for (TableModel table : start.tables()) {
                c.main.add(c.action(Stage.MAIN, origin, new Ddl.CreateVersionView(
                        new TableRef(previousVersionSchema, table.name()), new TableRef(schema, table.physical()),
                        table.columns().stream().map(col -> new Ddl.ViewColumn(col.physical(), col.name())).toList())));
            }
        }
        return c.plan(PhaseKind.REVERT);
    }

    /**
     * Contract's statements with each drop or rename of a column or table made a {@link Ddl.SwitchUnderLock}: the
     * new version's view and the table's fence trigger are replaced with it, for the names as they are after it, so
     * that after any step (and at any moment in one) they name only what exists. One change per step, so a step
     * repeated after a crash never sees its drop and a later rename together (a repeated drop would take the column
     * renamed into the dropped one's name).
     */
    private List<Action> switchedUnderLock(Collector c, List<SyncTrigger> triggers) {
        Map<String, String> tables = new HashMap<>();
        Map<ColumnKey, String> columns = new HashMap<>();
        Set<ColumnKey> dropped = new HashSet<>();
        List<Action> actions = new ArrayList<>();
        List<Stacking.Stacked> stackedAsExpanded = stacking.restack().apply(end);
        for (Action action : c.main) {
            NameChange change = c.nameChanges.get(action);
            if (change == null) {
                actions.add(action);
                continue;
            }
            TableRef before = new TableRef(schema, tables.getOrDefault(change.table(), change.table()));
            ColumnKey key = new ColumnKey(change.table(), change.column());
            if (change.column() == null) {
                tables.put(change.table(), change.newName());
            } else if (change.newName() == null) {
                dropped.add(key);
            } else {
                columns.put(key, change.newName());
            }
            TableRef after = new TableRef(schema, tables.getOrDefault(change.table(), change.table()));
            // a trigger follows its table's rename by itself
            SyncTrigger fence = change.column() == null ? null : triggers.stream()
                    .filter(t -> t.table().name().equals(change.table())).findFirst()
                    .map(t -> fenceAfter(t, after, columns, dropped)).orElse(null);
            Ddl.CreateVersionView view = end.tableByPhysical(change.table()).map(t -> new Ddl.CreateVersionView(
                    new TableRef(versionSchema, t.name()), after, t.columns().stream().map(col -> new Ddl.ViewColumn(
                            columns.getOrDefault(new ColumnKey(change.table(), col.physical()), col.physical()),
                            col.name())).toList())).orElse(null);
            List<Ddl.CreateVersionView> stackedViews = new ArrayList<>();
            List<SyncTrigger> stackedTriggers = new ArrayList<>();
            for (Stacking.Stacked stacked : stackedAsExpanded) {
                PlanBuilder above = stacked.plan();
                above.end.tableByPhysical(change.table()).ifPresent(t -> stackedViews.add(new Ddl.CreateVersionView(
                        new TableRef(above.versionSchema, t.name()), after, t.columns().stream().map(col ->
                        new Ddl.ViewColumn(columns.getOrDefault(new ColumnKey(change.table(), col.physical()),
                                col.physical()), col.name())).toList())));
                if (stacked.inFlight() && change.column() != null) {
                    above.expansion().triggers().stream().filter(t -> t.table().name().equals(change.table()))
                            .map(t -> renamed(t, after, columns)).forEach(stackedTriggers::add);
                }
            }
            actions.add(c.action(Stage.MAIN, action.origin(), new Ddl.SwitchUnderLock(before, action.ddl(), fence, view,
                    stackedViews, stackedTriggers)));
        }
        return actions;
    }

    /** A stacked migration's sync trigger on {@code table}, once contract renamed some of its columns. */
    private static SyncTrigger renamed(SyncTrigger trigger, TableRef table, Map<ColumnKey, String> columns) {
        String physical = trigger.table().name();
        UnaryOperator<List<SyncTrigger.Variable>> rename = variables -> variables.stream()
                .map(v -> new SyncTrigger.Variable(v.name(), columns.getOrDefault(new ColumnKey(physical, v.column()),
                        v.column()), v.type())).toList();
        return new SyncTrigger(table, trigger.functionSchema(), trigger.name(), trigger.newVersionSchema(),
                trigger.stackedVersionSchemas(), trigger.level(), rename.apply(trigger.upVariables()), trigger.up(),
                rename.apply(trigger.downVariables()), trigger.down(), trigger.newVersionTable());
    }

    /** The contract fence of {@code trigger}'s table once some of its columns are dropped or renamed. */
    private static SyncTrigger fenceAfter(SyncTrigger trigger, TableRef table, Map<ColumnKey, String> columns,
                                          Set<ColumnKey> dropped) {
        String physical = trigger.table().name();
        List<SyncTrigger.Variable> variables = trigger.downVariables().stream()
                .map(v -> new SyncTrigger.Variable(v.name(), columns.getOrDefault(new ColumnKey(physical, v.column()),
                        v.column()), v.type())).toList();
        List<SyncTrigger.Rule> down = trigger.down().stream()
                .filter(rule -> !dropped.contains(new ColumnKey(physical, rule.targetColumn())))
                .map(rule -> new SyncTrigger.Rule(columns.getOrDefault(new ColumnKey(physical, rule.targetColumn()),
                        rule.targetColumn()), rule.expression(), rule.required())).toList();
        return new SyncTrigger(table, trigger.functionSchema(), trigger.name(), trigger.newVersionSchema(),
                trigger.stackedVersionSchemas(), trigger.level(), List.of(),
                List.of(), variables, down, trigger.newVersionTable());
    }

    /** The schema as the new version sees it once contract has run: its tables stored under their new names. */
    public SchemaModel contracted() {
        SchemaModel model = end.copy();
        for (String physical : touchedTables()) {
            model.tableByPhysical(physical).ifPresent(table -> model.replaceTable(physical, table.contracted()));
        }
        return model;
    }

    /** The schema as the version below this migration sees it. */
    public SchemaModel start() {
        return start;
    }

    /**
     * The physical tables whose shape the migration changes (created, dropped, renamed, or any column, key or index
     * of theirs), as the version below names them.
     */
    public Set<String> touchedTables() {
        if (touchedTables == null) {
            Set<String> touched = new LinkedHashSet<>();
            Map<String, String> before = new HashMap<>();
            start.tables().forEach(t -> before.put(t.physical(), t.shape() + indexesOn(start, t.physical())));
            end.tables().forEach(t -> {
                if (!(t.shape() + indexesOn(end, t.physical())).equals(before.remove(t.physical()))) {
                    touched.add(t.physical());
                }
            });
            touched.addAll(before.keySet());
            touchedTables = Set.copyOf(touched);
        }
        return touchedTables;
    }

    private static String indexesOn(SchemaModel model, String physical) {
        return " indexes " + model.indexNames().stream()
                .filter(i -> model.indexTable(i).orElseThrow().equals(physical)).sorted().toList();
    }

    /**
     * Whether the two migrations change a table in common, so one must contract before the other and roll back after
     * it. Raw SQL may change any table, and a table created or dropped changes every version's set of views.
     */
    public boolean overlaps(PlanBuilder other) {
        return changesAnyTable() || other.changesAnyTable()
                || touchedTables().stream().anyMatch(other.touchedTables()::contains);
    }

    private boolean changesAnyTable() {
        Set<String> before = new HashSet<>();
        start.tables().forEach(t -> before.add(t.physical()));
        Set<String> after = new HashSet<>();
        end.tables().forEach(t -> after.add(t.physical()));
        return !before.equals(after) || operations.stream().anyMatch(o -> o.kind().equals("sql"));
    }

    /**
     * The views of the live versions below this one over the tables it changes, made again in its new shape as
     * {@code model} stores it: contract takes their old shape away from every version.
     */
    private List<Action> lowerVersionViews(Collector c, SchemaModel model) {
        List<Action> actions = new ArrayList<>();
        for (String lower : stacking.liveBelow()) {
            for (String physical : touchedTables()) {
                TableModel table = end.tableByPhysical(physical).orElse(null);
                TableModel old = start.tableByPhysical(physical).orElse(null);
                if (table != null && old != null) {
                    TableModel stored = model.table(table.name()).orElseThrow();
                    actions.add(c.action(Stage.MAIN, "version schema " + lower, new Ddl.CreateVersionView(
                            new TableRef(lower, old.name()), new TableRef(schema, stored.physical()),
                            viewColumns(table, stored), false, true)));
                }
            }
        }
        return actions;
    }

    /** The new version's columns of {@code table} read from {@code stored}, the same table as another model has it. */
    private static List<Ddl.ViewColumn> viewColumns(TableModel table, TableModel stored) {
        return table.columns().stream().map(col -> new Ddl.ViewColumn(
                stored.column(col.name()).orElseThrow().physical(), col.name())).toList();
    }

    /**
     * The versions stacked on this one, made again over {@code model} for the tables this migration changes: their
     * views (where views name columns by name, or where their columns change) and their sync triggers (whose bodies
     * name the columns).
     */
    private List<Action> restacked(Collector c, SchemaModel model, boolean contracting) {
        List<Action> actions = new ArrayList<>();
        for (Stacking.Stacked stacked : stacking.restack().apply(model)) {
            PlanBuilder above = stacked.plan();
            for (String physical : touchedTables()) {
                String stored = model.tableByPhysical(physical).map(TableModel::physical)
                        .orElse(end.tableByPhysical(physical).map(t -> contracting ? t.name() : physical)
                                .orElse(physical));
                if (!contracting || !dialect.viewsFollowRenames()) {
                    above.versionViews(stored).forEach(ddl -> actions.add(c.action(Stage.MAIN,
                            "version schema " + above.versionSchema, ddl)));
                }
                for (SyncTrigger trigger : stacked.inFlight() ? above.expansion().triggers() : List.<SyncTrigger>of()) {
                    if (contracting && trigger.table().name().equals(stored)) {
                        actions.add(c.action(Stage.MAIN, "sync trigger of " + above.migration.name() + " on " + stored,
                                new Ddl.CreateSyncTrigger(trigger, true)));
                    }
                }
            }
        }
        return actions;
    }

    /** This version's view of the table stored as {@code physical}, made again, with its version defaults. */
    private List<Ddl> versionViews(String physical) {
        TableModel table = end.tableByPhysical(physical).orElse(null);
        if (table == null) {
            return List.of();
        }
        List<Ddl> views = new ArrayList<>();
        TableRef view = new TableRef(versionSchema, table.name());
        views.add(new Ddl.CreateVersionView(view, new TableRef(schema, physical), table.columns().stream()
                .map(col -> new Ddl.ViewColumn(col.physical(), col.name())).toList(), false, true));
        if (dialect.viewsFollowRenames()) {
            expansion().versionDefaults.forEach((key, value) -> {
                if (key.table().equals(physical)) {
                    table.columnByPhysical(key.column()).ifPresent(col -> views.add(
                            new Ddl.SetViewDefault(view, col.name(), value, new TableRef(schema, physical), null)));
                }
            });
        }
        return views;
    }

    public PhasePlan rollback() {
        if (rollback == null) {
            rollback = planRollback();
        }
        return rollback;
    }

    private PhasePlan planRollback() {
        Collector expand = expansion();
        Collector c = collect(Operation::rollback, false, true);
        List<Action> main = new ArrayList<>();
        main.add(c.action(Stage.MAIN, "version schema " + versionSchema, new Ddl.DropSchema(versionSchema)));
        expand.copies.forEach((table, copy) -> {
            referencingKeys(table, Ddl.ReferencingKey.Step.DROP_COPY)
                    .forEach(key -> main.add(c.action(Stage.MAIN, copy.origin, key)));
            main.add(c.action(Stage.MAIN, copy.origin, tableCopyTriggers(table, copy, Ddl.TableCopyTriggers.Step.DROP)));
            main.add(c.action(Stage.MAIN, copy.origin, new Ddl.DropTable(copyOf(table))));
        });
        // the views of the versions stacked on this one show its tables as they were before it, before its columns go
        main.addAll(restacked(c, start, false));
        main.addAll(c.main);
        c.main.clear();
        c.main.addAll(withoutTriggers(c, expand.triggers(), false, main));
        return c.plan(PhaseKind.ROLLBACK);
    }

    /**
     * {@code between} with the sync triggers dropped before it. Where DDL is not transactional they are dropped
     * after it instead, and replaced before it by triggers that refuse the leaving version's writes: a write
     * between the triggers' drop and the drop of its columns would be lost, not copied.
     */
    private List<Action> withoutTriggers(Collector c, List<SyncTrigger> triggers, boolean newVersionStays,
                                         List<Action> between) {
        List<Action> actions = new ArrayList<>();
        List<Action> drops = new ArrayList<>();
        for (SyncTrigger trigger : triggers) {
            String origin = "sync trigger on " + trigger.table().name();
            drops.add(c.action(Stage.MAIN, origin, new Ddl.DropSyncTrigger(trigger)));
            if (!dialect.transactionalDdl()) {
                actions.add(c.action(Stage.MAIN, origin, new Ddl.FenceSyncTrigger(trigger, newVersionStays)));
            }
        }
        if (dialect.transactionalDdl()) {
            actions.addAll(drops);
        }
        actions.addAll(between);
        if (!dialect.transactionalDdl()) {
            actions.addAll(drops);
        }
        return actions;
    }

    /** The tables and columns the backfill phase fills, in the order expand named them. */
    public List<BackfillTarget> backfillTargets() {
        if (backfillTargets == null) {
            backfillTargets = planBackfill();
        }
        return backfillTargets;
    }

    private List<BackfillTarget> planBackfill() {
        Collector c = expansion();
        Set<String> tables = new java.util.LinkedHashSet<>(c.backfills.keySet());
        tables.addAll(c.rowCopies.keySet());
        List<BackfillTarget> targets = new ArrayList<>();
        for (String table : tables) {
            TableModel model = start.tableByPhysical(table).orElse(null);
            if (model == null) {
                continue; // a table this migration creates has no existing rows
            }
            if (model.primaryKey().isEmpty()) {
                throw new InvalidMigrationException(migration.source() + ": table '" + model.name() + "' has no "
                        + "primary key, which the backfill needs to walk it in batches; add one first "
                        + "(create_constraint cannot add a primary key yet: use ALTER TABLE ... ADD PRIMARY KEY)");
            }
            List<BackfillTarget.RowCopy> rowCopies = c.rowCopies.getOrDefault(table, List.of());
            if (!rowCopies.isEmpty() && (rowCopies.size() > 1 || c.backfills.containsKey(table))) {
                throw new InvalidMigrationException(migration.source() + ": table '" + model.name() + "' is copied "
                        + "from by one operation and backfilled by another (or copied into two tables): the backfill "
                        + "walks a table once, for one of them; split the migration");
            }
            targets.add(rowCopies.isEmpty()
                    ? BackfillTarget.inPlace(table, keyOf(model), List.copyOf(c.backfills.getOrDefault(table,
                            List.of())), start.originalTable(table).stream().flatMap(t -> t.columns().stream())
                            .filter(CatalogSnapshot.Column::onUpdate).map(CatalogSnapshot.Column::name).toList())
                    : BackfillTarget.rowCopy(table, keyOf(model), rowCopies.get(0)));
        }
        c.copies.forEach((table, copy) -> {
            List<BackfillTarget.Fill> fills = tableCopyTriggers(table, copy, Ddl.TableCopyTriggers.Step.CREATE).sync().up()
                    .stream().map(rule -> new BackfillTarget.Fill(rule.targetColumn(), rule.expression())).toList();
            boolean counted = start.originalTable(table).stream().flatMap(t -> t.columns().stream())
                    .anyMatch(CatalogSnapshot.Column::autoIncrement);
            targets.add(BackfillTarget.inCopy(table, keyOf(start.tableByPhysical(table).orElseThrow()), fills,
                    copyOf(table).name(), counted));
        });
        return List.copyOf(targets);
    }

    private static List<BackfillTarget.KeyColumn> keyOf(TableModel model) {
        return model.primaryKey().stream()
                .map(k -> new BackfillTarget.KeyColumn(k, model.columnByPhysical(k).orElseThrow().type())).toList();
    }

    /**
     * What the operations' expand asked for. Shared by every plan: contract and rollback read its sync triggers,
     * backfill its fills; only {@link #planExpand()} adds to its actions.
     */
    private Collector expansion() {
        if (expansion == null) {
            expansion = collect(Operation::expand, false);
        }
        return expansion;
    }

    private interface Step {
        void run(Operation operation, PhaseContext context);
    }

    private Collector collect(Step step, boolean trackNames) {
        return collect(step, trackNames, false);
    }

    private Collector collect(Step step, boolean trackNames, boolean reverse) {
        Collector collector = new Collector(trackNames);
        int count = operations.size();
        for (int n = 0; n < count; n++) {
            int i = reverse ? count - 1 - n : n;
            collector.index = i;
            try {
                step.run(operations.get(i), collector);
            } catch (OperationException e) {
                throw new InvalidMigrationException(migration.source() + ": " + migration.describe(i) + ": "
                        + e.getMessage());
            }
        }
        return collector;
    }

    /**
     * Refuses a sync rule whose inputs a foreign key's action can change behind the triggers' back, where the
     * database fires no triggers for such changes. ON DELETE CASCADE is harmless: it deletes whole rows, old
     * and new columns together.
     *
     * @param names the model whose column names {@code expression} uses
     */
    private void requireTriggersSeeCascades(SchemaModel names, String physicalTable, SqlExpression expression) {
        if (dialect.cascadesFireTriggers()) {
            return;
        }
        for (ColumnModel column : readColumns(names, physicalTable, expression)) {
            for (CatalogSnapshot.Constraint key : start.originalConstraints(physicalTable, column.physical())) {
                if (key.kind() == ConstraintKind.FOREIGN_KEY && key.definition() != null
                        && CASCADING_ACTION.matcher(key.definition()).find()) {
                    throw new OperationException("column '" + column.name() + "' is kept in step by sync triggers, but "
                            + "foreign key '" + key.name() + "' (" + key.definition() + ") changes it without firing "
                            + "triggers on this database, so those changes would not reach the other version. Change "
                            + "the foreign key to ON UPDATE RESTRICT and ON DELETE RESTRICT or CASCADE first");
                }
            }
        }
    }

    /**
     * Refuses a foreign key the migration adds with ON DELETE SET NULL / SET DEFAULT on columns the sync triggers
     * read, where the database fires no triggers for the changes that action makes.
     */
    private void requireNewKeysSeenByTriggers(Collector c) {
        if (dialect.cascadesFireTriggers()) {
            return;
        }
        for (List<Action> actions : List.of(c.before, c.main, c.after)) {
            for (Action action : actions) {
                if (!(action.ddl() instanceof Ddl.AddConstraint add) || add.constraint().onDelete() == null
                        || !CASCADING_ACTION.matcher("ON DELETE " + add.constraint().onDelete().toUpperCase(Locale.ROOT))
                        .find()) {
                    continue;
                }
                String table = add.table().name();
                List<String> read = new ArrayList<>();
                c.up.getOrDefault(table, List.of()).forEach(rule -> readColumns(start, table, rule.expression())
                        .forEach(column -> read.add(column.physical())));
                c.down.getOrDefault(table, List.of()).forEach(rule -> readColumns(end, table, rule.expression())
                        .forEach(column -> read.add(column.physical())));
                if (add.constraint().columns().stream().anyMatch(read::contains)) {
                    throw new InvalidMigrationException(migration.source() + ": " + action.origin() + ": foreign key '"
                            + add.constraint().name() + "' (ON DELETE " + add.constraint().onDelete() + ") would change "
                            + String.join(", ", add.constraint().columns()) + " without firing triggers on this database,"
                            + " and the sync triggers read them, so those changes would not reach the other version."
                            + " Use ON DELETE CASCADE or none, or add the key in a later migration");
                }
            }
        }
    }

    /**
     * Refuses a sync rule that reads a column filled from AUTO_INCREMENT: the database fills it only after the BEFORE
     * INSERT trigger ran, so the trigger would see 0 (or the value the insert gave) instead of the row's key. Neither
     * a later trigger (an AFTER trigger cannot update its own table) nor reading the next value (racy under
     * concurrent inserts) can make it right.
     *
     * @param names the model whose column names {@code expression} uses
     */
    private void requireKeysSeenByInsertTriggers(SchemaModel names, String physicalTable, SqlExpression expression,
                                                 String rule) {
        TableModel table = names.tableByPhysical(physicalTable).orElse(null);
        if (table == null) {
            return;
        }
        // the MySQL family's triggers take the table's name in any case for the row (MariaDbSyncTriggers)
        List<String> read = expression.rowReferences(table.name(), true);
        for (ColumnModel column : table.columns()) {
            boolean reads = read.stream().anyMatch(name -> dialect.columnNamesIgnoreCase()
                    ? name.equalsIgnoreCase(column.name()) : name.equals(column.name()));
            if (reads && start.originalColumn(physicalTable, column.physical())
                    .map(CatalogSnapshot.Column::autoIncrement).orElse(false)) {
                throw new OperationException("'" + rule + "' (" + expression.text() + ") reads column '" + column.name()
                        + "', which AUTO_INCREMENT fills only after the sync trigger ran: on every insert that leaves"
                        + " it out the trigger would see 0, not the row's key, and store a wrong value. Compute the"
                        + " value without '" + column.name() + "', or fill the column in the application");
            }
        }
    }

    /** The columns of the table that {@code expression} reads, by the names {@code names} gives them. */
    private List<ColumnModel> readColumns(SchemaModel names, String physicalTable, SqlExpression expression) {
        TableModel table = names.tableByPhysical(physicalTable).orElse(null);
        if (table == null) {
            return List.of();
        }
        List<String> referenced = expression.referencedNames();
        return table.columns().stream().filter(column -> referenced.stream().anyMatch(name ->
                dialect.columnNamesIgnoreCase() ? name.equalsIgnoreCase(column.name()) : name.equals(column.name())))
                .toList();
    }

    private record ColumnKey(String table, String column) {
    }

    /** What the operations ask of one table's copy (the table-copy strategy). */
    private static final class Copy {
        private final String origin;
        private final Map<String, ColumnDef> columns = new LinkedHashMap<>();
        private final Map<String, SqlExpression> up = new HashMap<>();
        private final Map<String, SqlExpression> down = new HashMap<>();
        private final List<ConstraintDef> constraints = new ArrayList<>();
        private final Map<String, String> renamedChecks = new LinkedHashMap<>();

        Copy(String origin) {
            this.origin = origin;
        }
    }

    /** A physical table's rename ({@code column} null) or a physical column's drop ({@code newName} null) or rename. */
    private record NameChange(String table, String column, String newName) {
    }

    /** The {@link PhaseContext} handed to each operation in turn. */
    private final class Collector implements PhaseContext {
        private final boolean trackNames;
        private final List<Action> before = new ArrayList<>();
        private final List<Action> main = new ArrayList<>();
        private final List<Action> after = new ArrayList<>();
        private final List<Action> probes = new ArrayList<>();
        /** The operation each sync rule comes from, and which of its expressions, for the probe's messages. */
        private final Map<SyncTrigger.Rule, String> ruleOrigins = new IdentityHashMap<>();
        private final Map<String, List<SyncTrigger.Rule>> up = new LinkedHashMap<>();
        private final Map<String, List<SyncTrigger.Rule>> down = new LinkedHashMap<>();
        private final Map<String, List<BackfillTarget.Fill>> backfills = new LinkedHashMap<>();
        private final Map<String, List<BackfillTarget.RowCopy>> rowCopies = new LinkedHashMap<>();
        private final Map<String, Copy> copies = new LinkedHashMap<>();
        private final Map<ColumnKey, SqlExpression> versionDefaults = new LinkedHashMap<>();
        private final Map<ColumnKey, String> defaultOrigins = new HashMap<>();
        private final Map<String, String> tableNames = new HashMap<>();
        private final Map<ColumnKey, String> columnNames = new HashMap<>();
        private final Set<ColumnKey> dropped = new HashSet<>();
        private final Map<Action, NameChange> nameChanges = new IdentityHashMap<>();
        private int index;

        Collector(boolean trackNames) {
            this.trackNames = trackNames;
        }

        /** The statement rendered for the dialect, once the dialect has not refused it. */
        Action action(Stage stage, String origin, Ddl ddl) {
            String refusal = dialect.refusal(ddl);
            if (refusal != null) {
                String obstacle = strategy.obstacle(index);
                throw new OperationException(obstacle == null ? refusal : refusal + ". The table copy that makes it"
                        + " online cannot copy this table: " + obstacle);
            }
            return new Action(stage, origin, ddl, dialect.statements(ddl), dialect.lock(ddl), dialect.transactional(ddl));
        }

        /** The operation being planned, with the strategy it takes and why where it has a choice. */
        private String origin() {
            String note = strategy.note(index);
            return migration.describe(index) + (note == null ? "" : " [" + note + "]");
        }

        PhasePlan plan(PhaseKind phase) {
            return new PhasePlan(phase, before, main, after);
        }

        List<SyncTrigger> triggers() {
            Set<String> tables = new java.util.LinkedHashSet<>(up.keySet());
            tables.addAll(down.keySet());
            List<SyncTrigger> triggers = new ArrayList<>();
            for (String table : tables) {
                String name = Names.bounded("_tandem_" + migration.name() + "_" + table);
                TableModel old = start.tableByPhysical(table).orElseThrow();
                List<SyncTrigger.Variable> upVariables = old.columns().stream()
                        .map(c -> new SyncTrigger.Variable(c.name(), c.physical(), c.type())).toList();
                List<SyncTrigger.Variable> downVariables = end.tableByPhysical(table)
                        .map(t -> t.columns().stream()
                                .map(c -> new SyncTrigger.Variable(c.name(), c.physical(), c.type())).toList())
                        .orElse(List.of());
                String newName = end.tableByPhysical(table).map(TableModel::name).orElse(table);
                triggers.add(new SyncTrigger(new TableRef(schema, table), stateSchema, name, versionSchema,
                        stacking.above(), stacking.level(),
                        upVariables, up.getOrDefault(table, List.of()), downVariables, down.getOrDefault(table, List.of()),
                        newName));
            }
            return triggers;
        }

        @Override
        public SchemaModel before() {
            return befores.get(index);
        }

        @Override
        public SchemaModel after() {
            return afters.get(index);
        }

        @Override
        public SchemaModel end() {
            return end;
        }

        @Override
        public String migrationName() {
            return migration.name();
        }

        @Override
        public TableRef versionView(String physicalTable) {
            return new TableRef(versionSchema, end.tableByPhysical(physicalTable).orElseThrow().name());
        }

        @Override
        public String versionSchema() {
            return versionSchema;
        }

        @Override
        public String functionSchema() {
            return stateSchema;
        }

        @Override
        public TableRef table(String physicalTable) {
            return new TableRef(schema, tableNames.getOrDefault(physicalTable, physicalTable));
        }

        @Override
        public String column(String physicalTable, String physicalColumn) {
            return columnNames.getOrDefault(new ColumnKey(physicalTable, physicalColumn), physicalColumn);
        }

        @Override
        public void beforeTransaction(Ddl statement) {
            before.add(action(Stage.BEFORE, origin(), statement));
        }

        @Override
        public void inTransaction(Ddl statement) {
            main.add(action(Stage.MAIN, origin(), statement));
        }

        @Override
        public void afterTransaction(Ddl statement) {
            after.add(action(Stage.AFTER, origin(), statement));
        }

        @Override
        public void renameColumn(String physicalTable, String physicalColumn, String newName) {
            ColumnKey key = new ColumnKey(physicalTable, physicalColumn);
            String current = column(physicalTable, physicalColumn);
            if (dropped.contains(key) || current.equals(newName)) {
                return;
            }
            inTransaction(new Ddl.RenameColumn(table(physicalTable), current, newName));
            nameChanges.put(main.get(main.size() - 1), new NameChange(physicalTable, physicalColumn, newName));
            if (trackNames) {
                columnNames.put(key, newName);
            }
        }

        @Override
        public void dropColumn(String physicalTable, String physicalColumn) {
            ColumnKey key = new ColumnKey(physicalTable, physicalColumn);
            if (dropped.add(key)) {
                inTransaction(new Ddl.DropColumn(table(physicalTable), column(physicalTable, physicalColumn)));
                nameChanges.put(main.get(main.size() - 1), new NameChange(physicalTable, physicalColumn, null));
            }
        }

        @Override
        public void renameTable(String physicalTable, String newName) {
            TableRef current = table(physicalTable);
            if (current.name().equals(newName)) {
                return;
            }
            inTransaction(new Ddl.RenameTable(current, newName));
            nameChanges.put(main.get(main.size() - 1), new NameChange(physicalTable, null, newName));
            if (trackNames) {
                tableNames.put(physicalTable, newName);
            }
        }

        @Override
        public void syncUp(String physicalTable, String targetColumn, SqlExpression expression) {
            if (start.tableByPhysical(physicalTable).isEmpty()) {
                return; // the old version does not know a table this migration creates
            }
            boolean required = end.tableByPhysical(physicalTable).flatMap(t -> t.columnByPhysical(targetColumn))
                    .map(column -> !column.nullable()).orElse(false);
            requireTriggersSeeCascades(start, physicalTable, expression);
            requireKeysSeenByInsertTriggers(start, physicalTable, expression, "up");
            SyncTrigger.Rule rule = new SyncTrigger.Rule(targetColumn, expression, required);
            up.computeIfAbsent(physicalTable, t -> new ArrayList<>()).add(rule);
            ruleOrigins.put(rule, origin() + ": up " + expression.text());
        }

        @Override
        public void syncDown(String physicalTable, String targetColumn, SqlExpression expression) {
            if (start.tableByPhysical(physicalTable).isEmpty()) {
                return;
            }
            requireTriggersSeeCascades(end, physicalTable, expression);
            requireKeysSeenByInsertTriggers(end, physicalTable, expression, "down");
            SyncTrigger.Rule rule = new SyncTrigger.Rule(targetColumn, expression, false);
            down.computeIfAbsent(physicalTable, t -> new ArrayList<>()).add(rule);
            ruleOrigins.put(rule, origin() + ": down " + expression.text());
        }

        @Override
        public void backfill(String physicalTable, String targetColumn, SqlExpression expression) {
            backfills.computeIfAbsent(physicalTable, t -> new ArrayList<>())
                    .add(new BackfillTarget.Fill(targetColumn, expression));
            if (start.tableByPhysical(physicalTable).isPresent()) {
                probes.add(action(Stage.MAIN, origin() + ": backfill",
                        new Ddl.Probe(new TableRef(schema, physicalTable), expression)));
            }
        }

        @Override
        public void copyRows(String physicalTable, BackfillTarget.RowCopy copy) {
            rowCopies.computeIfAbsent(physicalTable, t -> new ArrayList<>()).add(copy);
        }

        @Override
        public void copyColumn(String physicalTable, ColumnDef definition, SqlExpression up, SqlExpression down,
                               List<ConstraintDef> constraints) {
            Copy copy = copies.computeIfAbsent(physicalTable, t -> new Copy(origin()));
            copy.columns.put(definition.name(), definition);
            copy.up.put(definition.name(), up);
            if (down != null) {
                copy.down.put(definition.name(), down);
            }
            copy.constraints.addAll(constraints);
            probes.add(action(Stage.MAIN, origin() + ": up", new Ddl.Probe(new TableRef(schema, physicalTable), up)));
        }

        @Override
        public void copyConstraint(String physicalTable, ConstraintDef constraint) {
            copies.computeIfAbsent(physicalTable, t -> new Copy(origin())).constraints.add(constraint);
        }

        @Override
        public void renameCopiedCheck(String physicalTable, String from, String to) {
            copies.computeIfAbsent(physicalTable, t -> new Copy(origin())).renamedChecks.put(from, to);
        }

        @Override
        public void versionDefault(String physicalTable, String physicalColumn, SqlExpression value) {
            versionDefaults.put(new ColumnKey(physicalTable, physicalColumn), value);
            defaultOrigins.put(new ColumnKey(physicalTable, physicalColumn), origin());
        }
    }
}
