package dev.tandem.coordinator.internal.ddl;

import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The statements Tandem can ask a database for, independent of any SQL dialect. Operations produce these;
 * a {@link dev.tandem.coordinator.internal.dialect.Dialect} turns each into SQL text and says which lock it takes.
 */
public sealed interface Ddl {
    /** The relation whose lock matters most for this statement, or null when none. */
    TableRef target();

    <R> R accept(Visitor<R> visitor);

    /**
     * One method per statement kind: a dialect's SQL, locks and refusals each implement it, so a new kind does not
     * compile until every database has said how it renders it, which lock it takes and whether it refuses it.
     */
    interface Visitor<R> {
        R createSchema(CreateSchema statement);

        R dropSchema(DropSchema statement);

        R createTable(CreateTable statement);

        R dropTable(DropTable statement);

        R renameTable(RenameTable statement);

        R addColumn(AddColumn statement);

        R dropColumn(DropColumn statement);

        R renameColumn(RenameColumn statement);

        R setDefault(SetDefault statement);

        R setViewDefault(SetViewDefault statement);

        R setNotNull(SetNotNull statement);

        R dropNotNull(DropNotNull statement);

        R comment(Comment statement);

        R addConstraint(AddConstraint statement);

        R addNotNullCheck(AddNotNullCheck statement);

        R validateConstraint(ValidateConstraint statement);

        R dropConstraint(DropConstraint statement);

        R renameConstraint(RenameConstraint statement);

        R addUniqueUsingIndex(AddUniqueUsingIndex statement);

        R addPrimaryKeyUsingIndex(AddPrimaryKeyUsingIndex statement);

        R adoptSequence(AdoptSequence statement);

        R moveIdentity(MoveIdentity statement);

        R createIndex(CreateIndex statement);

        R dropIndex(DropIndex statement);

        R renameIndex(RenameIndex statement);

        R createVersionView(CreateVersionView statement);

        R createSyncTrigger(CreateSyncTrigger statement);

        R dropSyncTrigger(DropSyncTrigger statement);

        R fenceSyncTrigger(FenceSyncTrigger statement);

        R createCopyTrigger(CreateCopyTrigger statement);

        R dropCopyTrigger(DropCopyTrigger statement);

        R seedRows(SeedRows statement);

        R switchUnderLock(SwitchUnderLock statement);

        R rawSql(RawSql statement);

        R probe(Probe statement);

        R syncProbe(SyncProbe statement);

        R createCopy(CreateCopy statement);

        R tableCopyTriggers(TableCopyTriggers statement);

        R setAside(SetAside statement);

        R referencingKey(ReferencingKey statement);
    }

    record CreateSchema(String schema) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.createSchema(this);
        }

        public TableRef target() {
            return null;
        }
    }

    record DropSchema(String schema) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropSchema(this);
        }

        public TableRef target() {
            return null;
        }
    }

    record CreateTable(TableRef table, List<ColumnDef> columns, List<String> primaryKey) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.createTable(this);
        }

        public TableRef target() {
            return table;
        }
    }

    record DropTable(TableRef table) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropTable(this);
        }

        public TableRef target() {
            return table;
        }
    }

    record RenameTable(TableRef table, String newName) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.renameTable(this);
        }

        public TableRef target() {
            return table;
        }
    }

    record AddColumn(TableRef table, ColumnDef column) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addColumn(this);
        }

        public TableRef target() {
            return table;
        }
    }

    record DropColumn(TableRef table, String column) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropColumn(this);
        }

        public TableRef target() {
            return table;
        }
    }

    record RenameColumn(TableRef table, String column, String newName) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.renameColumn(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /** Sets the column default, or drops it when {@code value} is null. */
    record SetDefault(TableRef table, String column, SqlExpression value) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.setDefault(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * Sets the default a version view supplies for a column on insert, or drops it when {@code value} is null
     * (PostgreSQL only: contract's, for a column whose table default serves again). {@code newColumn}: the view's table
     * column, when only the new version has it (added or shadowed by the migration), so the table's own default
     * can serve instead; null when the old version uses it too.
     */
    record SetViewDefault(TableRef view, String column, SqlExpression value, TableRef table, String newColumn)
            implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.setViewDefault(this);
        }

        public TableRef target() {
            return view;
        }
    }

    record SetNotNull(TableRef table, String column) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.setNotNull(this);
        }

        public TableRef target() {
            return table;
        }
    }

    record DropNotNull(TableRef table, String column) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropNotNull(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /** A comment on a column, or on the table when {@code column} is null; a null text removes it. */
    /**
     * {@code declared}: the column's definition, added in the same phase, states the comment already
     * ({@link ColumnDef#comment()}), for a dialect that can only set a column's comment there.
     */
    record Comment(TableRef table, String column, String text, boolean declared) implements Ddl {
        public Comment(TableRef table, String column, String text) {
            this(table, column, text, false);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.comment(this);
        }

        public TableRef target() {
            return table;
        }
    }

    record AddConstraint(TableRef table, ConstraintDef constraint, boolean notValid) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addConstraint(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * A check that {@code column} IS NOT NULL, NOT VALID, standing for NOT NULL on a column the old version may still
     * leave NULL until contract validates it ({@link ValidateConstraint} with the column) and sets NOT NULL.
     */
    record AddNotNullCheck(TableRef table, String name, String column) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addNotNullCheck(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * @param notNullColumn for the check that stands for NOT NULL until contract, the column it is over (a database
     *                      without NOT VALID checks sets NOT NULL on it here instead); else null
     */
    record ValidateConstraint(TableRef table, String name, String notNullColumn) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.validateConstraint(this);
        }

        public ValidateConstraint(TableRef table, String name) {
            this(table, name, null);
        }

        public TableRef target() {
            return table;
        }
    }

    record DropConstraint(TableRef table, String name) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropConstraint(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /** {@code kind}: what the constraint is, for databases that rename each kind differently. */
    record RenameConstraint(TableRef table, String name, String newName, ConstraintDef.Kind kind) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.renameConstraint(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /** Turns an existing unique index into a unique constraint of the same name. */
    record AddUniqueUsingIndex(TableRef table, String index) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addUniqueUsingIndex(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * Makes an existing unique index over NOT NULL columns the table's primary key {@code name} (the index takes the
     * constraint's name). The table has no primary key at this point: the one it replaces went with its column.
     */
    record AddPrimaryKeyUsingIndex(TableRef table, String name, String index) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addPrimaryKeyUsingIndex(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * Hands the sequence a column's default draws from to another column of the table, before the column that owns
     * it is dropped (which would drop the sequence too), and widens it to {@code type} (null: keeps its type).
     *
     * @param column the column that takes the sequence over, under its name at this point of the phase
     */
    record AdoptSequence(TableRef table, TableRef sequence, String column, String type) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.adoptSequence(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * Makes {@code to} an identity column like {@code from} (ALWAYS or BY DEFAULT, its sequence of {@code to}'s type)
     * whose sequence goes on from where {@code from}'s left off and takes its name, and {@code from} an ordinary
     * column: an identity's sequence belongs to its column and would go with it. {@code to} becomes NOT NULL, which a validated check
     * proves without a scan.
     */
    record MoveIdentity(TableRef table, String from, String to) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.moveIdentity(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * Builds an index without blocking writes. {@code elements} are column names; {@code where} may be null;
     * {@code method} null means the default access method. With a {@code definition} (PostgreSQL: what follows
     * {@code USING method}, another index's keys, INCLUDE, WITH and WHERE, over this table's columns), that instead of
     * the elements and {@code where}.
     */
    record CreateIndex(TableRef table, String name, List<String> elements, boolean unique, String method,
                       SqlExpression where, SqlExpression definition) implements Ddl {
        public CreateIndex(TableRef table, String name, List<String> elements, boolean unique, String method,
                           SqlExpression where) {
            this(table, name, elements, unique, method, where, null);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.createIndex(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /** Drops an index without blocking writes; {@code table} is the indexed table, for the lock report. */
    record DropIndex(TableRef table, String name) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropIndex(this);
        }

        public TableRef target() {
            return table;
        }
    }

    record RenameIndex(TableRef table, String name, String newName) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.renameIndex(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * A view in a version schema showing {@code source} with columns under the names one version expects.
     * {@code filling}: {@code source} is a table copy the backfill is still filling, and the view refuses every
     * statement until the backfill makes it again without the flag. {@code replace}: the view exists and is made
     * again with other columns (PostgreSQL drops it first, as CREATE OR REPLACE VIEW cannot drop or rename a column).
     * No {@code columns}: every column of {@code source} as it is, a relation the migration does not change (MariaDB:
     * a view or system-versioned table of the database, which the version database would otherwise lack).
     */
    record CreateVersionView(TableRef view, TableRef source, List<ViewColumn> columns, boolean filling,
                             boolean replace) implements Ddl {
        public CreateVersionView(TableRef view, TableRef source, List<ViewColumn> columns) {
            this(view, source, columns, false, false);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.createVersionView(this);
        }

        public TableRef target() {
            return view;
        }
    }

    /**
     * A trigger keeping the old and new shapes of one table in step on every write. {@code replace}: the trigger
     * exists, and is made again for a stack of versions that changed (PostgreSQL replaces its functions only).
     */
    record CreateSyncTrigger(SyncTrigger trigger, boolean replace) implements Ddl {
        public CreateSyncTrigger(SyncTrigger trigger) {
            this(trigger, false);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.createSyncTrigger(this);
        }

        public TableRef target() {
            return trigger.table();
        }
    }

    record DropSyncTrigger(SyncTrigger trigger) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropSyncTrigger(this);
        }

        public TableRef target() {
            return trigger.table();
        }
    }

    /**
     * Where DDL is not transactional: replaces the sync trigger by one that refuses the writes of the version
     * going away (the old one when {@code newVersionStays}), until the trigger is dropped after the columns the
     * phase drops, so that no write lands in a column about to go without being copied.
     */
    record FenceSyncTrigger(SyncTrigger trigger, boolean newVersionStays) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.fenceSyncTrigger(this);
        }

        public TableRef target() {
            return trigger.table();
        }
    }

    /** A trigger that carries one version's writes of some columns to another table. */
    record CreateCopyTrigger(CopyTrigger trigger) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.createCopyTrigger(this);
        }

        public TableRef target() {
            return trigger.table();
        }
    }

    record DropCopyTrigger(CopyTrigger trigger) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropCopyTrigger(this);
        }

        public TableRef target() {
            return trigger.table();
        }
    }

    /**
     * Inserts into {@code table}'s {@code column} each of {@code values} (in order), then each other value
     * {@code source}'s {@code sourceColumn} holds, skipping NULLs and values the table already has: the seed of a
     * lookup table. {@code source} null: the listed values only.
     */
    record SeedRows(TableRef table, String column, List<String> values, TableRef source, String sourceColumn)
            implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.seedRows(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * Where views name columns by text (MariaDB): {@code change}, a drop or rename of a column or a rename of the
     * table, made under a write lock on the table and on its views made again (the new version's and those of the
     * versions stacked on it), together with the fence trigger as it must be after the change; each view is created
     * again for the table as it is after the change by a second session queued behind that lock. The application's
     * statements on the views wait for the lock and then meet the new views, never one that names a column that is
     * gone.
     *
     * @param fence    the fence trigger for the columns as they are after the change; null when it stays as it is
     * @param viewAfter the new version's view after the change; null when the table has none
     * @param stackedViews the views of the versions stacked on the new one, made again as {@code viewAfter} is
     * @param stackedTriggers the sync triggers of the migrations stacked on this one, made again under the lock
     */
    record SwitchUnderLock(TableRef table, Ddl change, SyncTrigger fence, CreateVersionView viewAfter,
                           List<CreateVersionView> stackedViews, List<SyncTrigger> stackedTriggers) implements Ddl {
        /** Every view made again after the change: the new version's first. */
        public List<CreateVersionView> viewsAfter() {
            List<CreateVersionView> views = new ArrayList<>();
            if (viewAfter != null) {
                views.add(viewAfter);
            }
            views.addAll(stackedViews);
            return views;
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.switchUnderLock(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /** SQL written by the user for a phase, run as it is with {@code schema} as the search path. */
    record RawSql(String schema, String sql) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.rawSql(this);
        }

        public TableRef target() {
            return null;
        }
    }

    /**
     * Evaluates a user expression over some of {@code relation}'s rows, so a wrong name, type or value
     * fails the phase's transaction instead of a later application write.
     *
     * @param condition true for a condition, such as a partial index's, evaluated as {@code expression IS TRUE}
     */
    record Probe(TableRef relation, SqlExpression expression, boolean condition) implements Ddl {
        public Probe(TableRef relation, SqlExpression expression) {
            this(relation, expression, false);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.probe(this);
        }

        public TableRef target() {
            return relation;
        }
    }

    /**
     * Evaluates one of a sync trigger's rules ({@code down}: one that runs for the new version's writes) over some of
     * the table's rows exactly as the trigger will, so an expression that would fail one version's writes fails the
     * phase instead. Where DDL is not transactional it runs before expand changes anything, and reads the columns
     * expand adds as NULL, as rows the backfill has not reached hold them.
     */
    record SyncProbe(SyncTrigger trigger, SyncTrigger.Rule rule, boolean down) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.syncProbe(this);
        }

        public TableRef target() {
            return trigger.table();
        }
    }

    record ViewColumn(String source, String alias) {
    }

    /**
     * The table-copy strategy's new table: {@code copy} made like {@code table} (columns, indexes, checks), then
     * given the new version's {@code columns} (each stated whole, with its comment; those named in {@code added} the
     * table does not have), {@code constraints} (checks and new foreign keys), the names {@code renamedChecks} gives
     * the table's checks (old name to new: the swap brings them),
     * and the table's foreign keys, each under the name {@code foreignKeys} maps it to (names of foreign keys are
     * unique in a schema). Empty, so each change is cheap.
     */
    record CreateCopy(TableRef table, TableRef copy, List<ColumnDef> columns, List<String> added,
                      List<ConstraintDef> constraints, Map<String, String> renamedChecks,
                      Map<String, String> foreignKeys) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.createCopy(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * The row triggers that keep a table and its copy in step. {@code sync}'s table is the original; its {@code up}
     * rules fill every column of {@code copy} from the original's row (the old version's writes), its {@code down}
     * rules every column of the original from the copy's row (the new version's writes); {@code key} is the primary
     * key both tables share. {@code generatedKey}, when not null, is the key's one column, which AUTO_INCREMENT fills
     * and no {@code down} rule reads: the new version's inserts that leave it out take it from the original's counter,
     * so the two tables never hand one key to two rows.
     */
    record TableCopyTriggers(SyncTrigger sync, TableRef copy, List<String> key, String generatedKey,
                             TableCopyTriggers.Step step) implements Ddl {
        public enum Step {
            /** The original's triggers, at expand. */
            CREATE,
            /** The copy's triggers, once the backfill has filled it (before, they would fire for every row it copies). */
            CREATE_COPY,
            /**
             * Contract: the original's triggers refuse the old version's writes, and the copy's go, as the new version's
             * writes need not reach the original any more (rollback is refused from contract's first step on).
             */
            FENCE,
            /** The original's triggers go (rollback, before its copy is dropped). */
            DROP
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.tableCopyTriggers(this);
        }

        public TableRef target() {
            return sync.table();
        }
    }

    /**
     * Renames the original {@code table} to {@code asideName} while its copy {@code copy} still exists to take its
     * name, so that a run repeated after the copy took it does not move the copy aside.
     */
    record SetAside(TableRef table, String copy, String asideName) implements Ddl {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.setAside(this);
        }

        public TableRef target() {
            return table;
        }
    }

    /**
     * A foreign key of another table, {@code table}'s key {@code name}, that refers to a table the table-copy
     * strategy copies. The key belongs to {@code table}, so the copy cannot take it over: {@code table} gets a second
     * key like it, {@code copyName}, that refers to the {@code copy}, and with both keys its rows hold through either
     * table.
     */
    record ReferencingKey(TableRef table, String name, TableRef copy, String copyName, ReferencingKey.Step step)
            implements Ddl {
        public enum Step {
            /** The second key, once the backfill has filled the copy (the original's triggers keep it in step). */
            ADD,
            /** Contract, before the swap: the key to the original goes (the second key keeps the rows in check). */
            DROP_ORIGINAL,
            /** Rollback, before the copy goes: the second key goes. */
            DROP_COPY
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.referencingKey(this);
        }

        public TableRef target() {
            return table;
        }
    }
}
