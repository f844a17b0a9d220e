package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect.VERSION_VARIABLE;
import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect.ident;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.sql.Quoting;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The SQL of each statement on MariaDB, run in order, each a step of its own and written to be repeated safely
 * (IF [NOT] EXISTS, CREATE OR REPLACE). Every ALTER of an existing table names its algorithm (INSTANT, or INPLACE
 * with LOCK=NONE), so the server refuses instead of copying the table behind a write lock. The lock each statement
 * takes is {@link MariaDbLocks}'; what MariaDB cannot do online is refused by {@link MariaDbRefusals} while the
 * phase is planned, so a statement it refuses never reaches this class.
 */
final class MariaDbSql implements Ddl.Visitor<List<String>> {
    static final String INSTANT = ", ALGORITHM=INSTANT";
    static final String ONLINE = ", ALGORITHM=INPLACE, LOCK=NONE";
    /** The function in each version database by which its views refuse a session without the version variable. */
    private static final String REQUIRE_VERSION = "tandem_require_version";
    /**
     * PostgreSQL's serial types MariaDB does not know, as the AUTO_INCREMENT integer they stand for (MariaDB's own
     * {@code serial} is another type, BIGINT UNSIGNED, and stays as it is).
     */
    private static final Map<String, String> SERIALS = Map.of("bigserial", "bigint",
            "smallserial", "smallint");
    private static final String COPY_FILLING = "tandem_copy_filling";

    @Override
    public List<String> createSchema(Ddl.CreateSchema s) {
        return List.of("CREATE DATABASE IF NOT EXISTS " + ident(s.schema()));
    }

    @Override
    public List<String> dropSchema(Ddl.DropSchema s) {
        return List.of("DROP DATABASE IF EXISTS " + ident(s.schema()));
    }

    @Override
    public List<String> createTable(Ddl.CreateTable s) {
        List<String> parts = new ArrayList<>();
        s.columns().forEach(c -> parts.add(column(c)));
        if (!s.primaryKey().isEmpty()) {
            parts.add("PRIMARY KEY (" + names(s.primaryKey()) + ")");
        }
        return List.of("CREATE TABLE IF NOT EXISTS " + table(s.table()) + " (" + String.join(", ", parts) + ")");
    }

    @Override
    public List<String> dropTable(Ddl.DropTable s) {
        return List.of("DROP TABLE IF EXISTS " + table(s.table()));
    }

    @Override
    public List<String> renameTable(Ddl.RenameTable s) {
        return List.of("ALTER TABLE IF EXISTS " + table(s.table()) + " RENAME TO "
                + table(s.table().withName(s.newName())));
    }

    @Override
    public List<String> addColumn(Ddl.AddColumn s) {
        ColumnDef c = s.column();
        if (c.likeColumn() == null) {
            return List.of(alter(s.table()) + "ADD COLUMN IF NOT EXISTS " + column(c) + INSTANT);
        }
        return prepared(MariaDbRestatedColumn.select(literal(alter(s.table()) + "ADD COLUMN IF NOT EXISTS ") + ", "
                + restated(c, false) + ", " + literal(INSTANT), s.table(), c.likeColumn()), "_tandem_add_column");
    }

    @Override
    public List<String> dropColumn(Ddl.DropColumn s) {
        // instant, but dropping the column's indexes with it is in place: NOCOPY allows both, never a rebuild
        return List.of(alter(s.table()) + "DROP COLUMN IF EXISTS " + ident(s.column())
                + ", ALGORITHM=NOCOPY, LOCK=NONE");
    }

    @Override
    public List<String> renameColumn(Ddl.RenameColumn s) {
        List<String> statements = new ArrayList<>();
        statements.add(alter(s.table()) + "RENAME COLUMN IF EXISTS " + ident(s.column()) + " TO "
                + ident(s.newName()) + INSTANT);
        statements.addAll(jsonCheckFollowsRename(s.table(), s.column(), s.newName()));
        return statements;
    }

    @Override
    public List<String> setDefault(Ddl.SetDefault s) {
        return List.of(alter(s.table()) + "ALTER COLUMN " + ident(s.column())
                + (s.value() == null ? " DROP DEFAULT" : " SET DEFAULT " + expression(s.value())) + INSTANT);
    }

    /** MariaDB views have no defaults; a column only the new version has takes it on the table itself. */
    @Override
    public List<String> setViewDefault(Ddl.SetViewDefault s) {
        return setDefault(new Ddl.SetDefault(s.table(), s.newColumn(), s.value()));
    }

    @Override
    public List<String> setNotNull(Ddl.SetNotNull s) {
        return setNotNull(s.table(), s.column());
    }

    @Override
    public List<String> dropNotNull(Ddl.DropNotNull s) {
        throw MariaDbRefusals.neverRendered(s);
    }

    /** A table's comment; a new column's is in its definition already, and another column's is refused. */
    @Override
    public List<String> comment(Ddl.Comment s) {
        if (s.declared()) {
            return List.of();
        }
        return List.of(alter(s.table()) + "COMMENT = " + literal(s.text() == null ? "" : s.text()) + INSTANT);
    }

    /** On a table this phase created; on an existing table only a foreign key, whose rows are checked next. */
    @Override
    public List<String> addConstraint(Ddl.AddConstraint s) {
        TableRef ref = s.table();
        ConstraintDef c = s.constraint();
        String name = ident(c.name());
        return switch (c.kind()) {
            // a CHECK can only be added by copying; this table was created in this phase and is empty
            case CHECK -> List.of(alter(ref) + "ADD CONSTRAINT IF NOT EXISTS " + name + " CHECK "
                    + expression(c.check()) + ", ALGORITHM=COPY");
            case UNIQUE -> List.of(alter(ref) + "ADD CONSTRAINT " + name + " UNIQUE KEY IF NOT EXISTS " + name
                    + " (" + names(c.columns()) + ")" + ONLINE);
            // a new table has no rows to check
            case FOREIGN_KEY -> s.notValid() ? MariaDbForeignKeys.addUnchecked(ref, c) : MariaDbForeignKeys.add(ref, c);
            case PRIMARY_KEY -> throw MariaDbRefusals.neverRendered(s);
        };
    }

    /** NOT NULL until contract: the sync triggers refuse a NULL in a required column instead. */
    @Override
    public List<String> addNotNullCheck(Ddl.AddNotNullCheck s) {
        return List.of();
    }

    /**
     * For the check that stands for NOT NULL, NOT NULL before contract's first step: from there on the sync
     * triggers, which refused a NULL until now, give way to triggers that only fence the old version out, and the
     * column refuses it itself. Foreign keys had their rows checked right after expand added them.
     */
    @Override
    public List<String> validateConstraint(Ddl.ValidateConstraint s) {
        return s.notNullColumn() != null ? setNotNull(s.table(), s.notNullColumn()) : List.of();
    }

    /**
     * A unique constraint is an index, whose drop is not instant; a foreign key leaves behind the index MariaDB
     * created for it under its name, which goes with it (unless another key needs it).
     */
    @Override
    public List<String> dropConstraint(Ddl.DropConstraint s) {
        List<String> statements = new ArrayList<>();
        statements.add(alter(s.table()) + "DROP CONSTRAINT IF EXISTS " + ident(s.name()) + ONLINE);
        statements.addAll(MariaDbForeignKeys.dropIndex(s.table(), s.name()));
        return statements;
    }

    /** A unique constraint or a foreign key; a check is refused. */
    @Override
    public List<String> renameConstraint(Ddl.RenameConstraint s) {
        return s.kind() == ConstraintDef.Kind.FOREIGN_KEY ? MariaDbForeignKeys.rename(s.table(), s.name(), s.newName())
                : renameIndex(new Ddl.RenameIndex(s.table(), s.name(), s.newName()));
    }

    @Override
    public List<String> addUniqueUsingIndex(Ddl.AddUniqueUsingIndex s) {
        return List.of(); // a unique index is the unique constraint here
    }

    @Override
    public List<String> addPrimaryKeyUsingIndex(Ddl.AddPrimaryKeyUsingIndex s) {
        throw MariaDbRefusals.neverRendered(s);
    }

    @Override
    public List<String> adoptSequence(Ddl.AdoptSequence s) {
        throw MariaDbRefusals.neverRendered(s);
    }

    @Override
    public List<String> moveIdentity(Ddl.MoveIdentity s) {
        throw MariaDbRefusals.neverRendered(s);
    }

    /** Without WHERE or access method, which are refused. */
    @Override
    public List<String> createIndex(Ddl.CreateIndex s) {
        return List.of(alter(s.table()) + "ADD " + (s.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                + ident(s.name()) + " (" + names(s.elements()) + ")" + ONLINE);
    }

    @Override
    public List<String> dropIndex(Ddl.DropIndex s) {
        return MariaDbForeignKeys.dropIndex(s.table(), s.name());
    }

    @Override
    public List<String> renameIndex(Ddl.RenameIndex s) {
        return List.of(alter(s.table()) + "RENAME INDEX IF EXISTS " + ident(s.name()) + " TO "
                + ident(s.newName()) + INSTANT);
    }

    @Override
    public List<String> createVersionView(Ddl.CreateVersionView s) {
        return s.filling() ? List.of(requireVersionFunction(s.view().schema()), fillingFunction(s.view().schema()),
                createView(s)) : List.of(requireVersionFunction(s.view().schema()), createView(s));
    }

    /**
     * Refuses every statement on a view of a table copy the backfill is still filling: the view would show only the
     * rows copied so far, and the copy's triggers, which bring the new version's writes to the old version's table,
     * come only once it is full (they would otherwise fire for every row the backfill copies). It stands alone in the
     * view's condition, in place of the version check: combined with another call, {@code CREATE VIEW} evaluates
     * them.
     */
    private static String fillingFunction(String versionDatabase) {
        return "CREATE FUNCTION IF NOT EXISTS " + table(new TableRef(versionDatabase, COPY_FILLING))
                + "() RETURNS INT DETERMINISTIC NO SQL\nBEGIN\n  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = "
                + literal("Tandem: this table of schema version database `" + versionDatabase + "` is a copy that"
                + " migrate backfill is still filling; the new version can use it once the backfill has finished")
                + ";\n  RETURN 0;\nEND";
    }

    @Override
    public List<String> createSyncTrigger(Ddl.CreateSyncTrigger s) {
        return MariaDbSyncTriggers.create(s.trigger());
    }

    @Override
    public List<String> dropSyncTrigger(Ddl.DropSyncTrigger s) {
        return MariaDbSyncTriggers.drop(s.trigger());
    }

    @Override
    public List<String> createCopyTrigger(Ddl.CreateCopyTrigger s) {
        return MariaDbRowCopyTriggers.create(s.trigger());
    }

    @Override
    public List<String> dropCopyTrigger(Ddl.DropCopyTrigger s) {
        return MariaDbRowCopyTriggers.drop(s.trigger());
    }

    @Override
    public List<String> seedRows(Ddl.SeedRows s) {
        return MariaDbRowCopyTriggers.seed(s);
    }

    @Override
    public List<String> fenceSyncTrigger(Ddl.FenceSyncTrigger s) {
        return MariaDbSyncTriggers.fence(s.trigger(), s.newVersionStays());
    }

    /** As {@link MariaDbSwitch} runs them, the views made again on second sessions written last. */
    @Override
    public List<String> switchUnderLock(Ddl.SwitchUnderLock s) {
        List<String> statements = new ArrayList<>();
        statements.add(s.viewsAfter().isEmpty() ? "LOCK TABLES " + table(s.table()) + " WRITE"
                : MariaDbSwitch.lockViews(s));
        statements.addAll(switchChanges(s));
        statements.add("UNLOCK TABLES");
        for (Ddl.CreateVersionView view : s.viewsAfter()) {
            statements.add("-- on a second session of its own, queued behind the lock before it is released:\n"
                    + createView(view));
        }
        return statements;
    }

    /**
     * The statements a switch makes under its lock: the change, then the fence for the names after it and the sync
     * triggers of the migrations stacked on this one.
     */
    List<String> switchChanges(Ddl.SwitchUnderLock s) {
        List<String> statements = new ArrayList<>(s.change().accept(this));
        if (s.fence() != null) {
            statements.addAll(MariaDbSyncTriggers.fence(s.fence(), true));
        }
        s.stackedTriggers().forEach(trigger -> statements.addAll(MariaDbSyncTriggers.create(trigger)));
        return statements;
    }

    /** Tandem's own statements name their database, so the session may stay in this one. */
    @Override
    public List<String> rawSql(Ddl.RawSql s) {
        return List.of("USE " + ident(s.schema()), s.sql());
    }

    /** A version's views refuse a session that does not name the version. */
    @Override
    public List<String> probe(Ddl.Probe s) {
        String value = s.condition() ? "(" + expression(s.expression()) + " IS TRUE)" : expression(s.expression());
        return List.of("SET " + VERSION_VARIABLE + " = " + literal(s.relation().schema()),
                "SELECT COUNT(value) FROM (SELECT " + value + " AS value FROM " + table(s.relation())
                        + " LIMIT 1000) AS probe", "SET " + VERSION_VARIABLE + " = NULL");
    }

    @Override
    public List<String> syncProbe(Ddl.SyncProbe s) {
        return MariaDbSyncTriggers.probe(s.trigger(), s.rule(), s.down());
    }

    /**
     * Makes a column NOT NULL in place (LOCK=NONE): InnoDB rebuilds the table while reads and writes continue,
     * and fails on a NULL. MODIFY restates the whole column, so its type (JSON as such, which keeps its check),
     * collation, default and comment are read from information_schema; a no-op once the column is NOT NULL.
     */
    private static List<String> setNotNull(TableRef ref, String column) {
        String build = MariaDbRestatedColumn.select(literal(alter(ref) + "MODIFY COLUMN " + ident(column) + " ") + ","
                + " IF(EXISTS (SELECT 1 FROM information_schema.CHECK_CONSTRAINTS h WHERE h.CONSTRAINT_SCHEMA ="
                + " c.TABLE_SCHEMA AND h.TABLE_NAME = c.TABLE_NAME AND h.LEVEL = 'Column' AND h.CHECK_CLAUSE = "
                + literal("json_valid(" + ident(column) + ")") + "), 'json',"
                + " CONCAT(c.COLUMN_TYPE, IF(c.COLLATION_NAME IS NULL, '', CONCAT(' COLLATE ', c.COLLATION_NAME)))),"
                + " ' NOT NULL',"
                + " IF(c.COLUMN_DEFAULT IS NULL OR c.COLUMN_DEFAULT = 'NULL', '', CONCAT(' DEFAULT ', c.COLUMN_DEFAULT)),"
                + " IF(c.EXTRA LIKE '%on update%', ' ON UPDATE CURRENT_TIMESTAMP', ''), "
                + MariaDbRestatedColumn.attributes("", null, true) + ", " + literal(ONLINE), ref, column)
                + " AND c.IS_NULLABLE = 'YES'";
        return prepared(build, "_tandem_not_null");
    }

    /**
     * A JSON column's check keeps the column's old name when the column is renamed (a shadow's check would stay
     * {@code _tandem_x}). Restating the column as JSON under its new name renames the check, instantly. Built
     * from information_schema, and a no-op once the check has the column's name, so it can be repeated.
     */
    private static List<String> jsonCheckFollowsRename(TableRef ref, String column, String newName) {
        String build = "SELECT CONCAT(" + literal(alter(ref) + "CHANGE COLUMN " + ident(newName) + " " + ident(newName)
                + " json") + ", IF(c.IS_NULLABLE = 'NO', ' NOT NULL', ' NULL'),"
                + " IF(c.COLUMN_DEFAULT IS NULL OR c.COLUMN_DEFAULT = 'NULL', '', CONCAT(' DEFAULT ', c.COLUMN_DEFAULT)),"
                + " IF(c.COLUMN_COMMENT = '', '', CONCAT(' COMMENT ', QUOTE(c.COLUMN_COMMENT))), " + literal(INSTANT) + ")"
                + " FROM information_schema.COLUMNS c JOIN information_schema.CHECK_CONSTRAINTS h"
                + " ON h.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND h.TABLE_NAME = c.TABLE_NAME"
                + " WHERE c.TABLE_SCHEMA = " + literal(ref.schema()) + " AND c.TABLE_NAME = " + literal(ref.name())
                + " AND c.COLUMN_NAME = " + literal(newName) + " AND h.LEVEL = 'Column' AND h.CONSTRAINT_NAME = "
                + literal(column) + " AND h.CHECK_CLAUSE = " + literal("json_valid(" + ident(newName) + ")");
        return prepared(build, "_tandem_json");
    }

    /** Runs the statement {@code build} selects (none when it selects no row), for DDL built from the catalog. */
    static List<String> prepared(String build, String name) {
        return List.of("SET @tandem_statement = COALESCE((" + build + "), 'DO 0')",
                "PREPARE " + name + " FROM @tandem_statement", "EXECUTE " + name, "DEALLOCATE PREPARE " + name);
    }

    /**
     * Every view of a version refuses a session that has not named the version in {@link MariaDbDialect#VERSION_VARIABLE}:
     * the sync triggers would take its writes for the old version's and overwrite the new columns they set. MariaDB
     * allows no user variable in a view, but a function may read one. DETERMINISTIC and without arguments, it runs
     * once per statement while the optimizer folds it, so reads cost nothing more; WITH CHECK OPTION runs it for
     * inserts too, and once more for each row an update changes.
     */
    static String createView(Ddl.CreateVersionView s) {
        if (s.columns().isEmpty()) {
            // no sync trigger reads its writes, and a view that is not updatable refuses CHECK OPTION (1368); a view
            // of the database that no longer works (a column it names is gone) is left out rather than fail expand
            return "BEGIN NOT ATOMIC\n  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN END;\n"
                    + "  CREATE OR REPLACE SQL SECURITY INVOKER VIEW " + table(s.view()) + " AS SELECT * FROM "
                    + table(s.source()) + " WHERE " + requireVersion(s.view().schema()) + "();\nEND";
        }
        String columns = s.columns().stream()
                .map(c -> ident(c.source()) + (c.source().equals(c.alias()) ? "" : " AS " + ident(c.alias())))
                .collect(Collectors.joining(", "));
        return "CREATE OR REPLACE SQL SECURITY INVOKER VIEW " + table(s.view()) + " AS SELECT " + columns
                + " FROM " + table(s.source()) + " WHERE " + (s.filling() ? table(new TableRef(s.view().schema(),
                COPY_FILLING)) : requireVersion(s.view().schema())) + "() WITH CHECK OPTION";
    }

    private static String requireVersion(String versionDatabase) {
        return table(new TableRef(versionDatabase, REQUIRE_VERSION));
    }

    /** Kept in the version's own database, which goes with it. */
    private static String requireVersionFunction(String versionDatabase) {
        String message = "Tandem: this session uses the views of schema version database `" + versionDatabase
                + "` but has not set " + VERSION_VARIABLE + " to it, so the sync triggers would take its writes for the"
                + " old version's: run SET " + VERSION_VARIABLE + " = '" + versionDatabase + "' on the connection first"
                + " (SchemaVersion.initSql() does it; see docs/mysql.md)";
        return "CREATE FUNCTION IF NOT EXISTS " + requireVersion(versionDatabase)
                + "() RETURNS INT DETERMINISTIC NO SQL\nBEGIN\n  IF " + VERSION_VARIABLE + " <=> "
                + literal(versionDatabase) + " THEN RETURN 1; END IF;\n  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = "
                + literal(message) + ";\nEND";
    }

    private static String column(ColumnDef c) {
        return ident(c.name()) + " " + typed(c) + defaultAndNull(c)
                + (c.comment() == null ? "" : " COMMENT " + literal(c.comment()));
    }

    private static String typed(ColumnDef c) {
        String serial = SERIALS.get(c.type().toLowerCase(Locale.ROOT));
        return serial != null ? serial + " AUTO_INCREMENT" : type(c.type()) + (c.autoIncrement() ? " AUTO_INCREMENT" : "");
    }

    private static String defaultAndNull(ColumnDef c) {
        return (c.defaultValue() == null ? "" : " DEFAULT " + expression(c.defaultValue()))
                + (c.notNull() ? " NOT NULL" : " NULL");
    }

    /**
     * SQL text of {@code c}'s definition for a query over information_schema.COLUMNS {@code c} of the column it
     * stands in for: its type, default and nullability as given, the attributes it keeps as that column has them
     * ({@link MariaDbRestatedColumn}).
     */
    private static String restated(ColumnDef c, boolean itself) {
        return "CONCAT(" + MariaDbRestatedColumn.head(c.name(), typed(c)) + ", "
                + MariaDbRestatedColumn.characterSet(type(c.type())) + ", " + literal(defaultAndNull(c)) + ", "
                + MariaDbRestatedColumn.attributes(type(c.type()), c.comment(), itself) + ")";
    }

    /** PostgreSQL's binary JSON is MariaDB's JSON: LONGTEXT with a json_valid check. */
    static String type(String declared) {
        return declared.equalsIgnoreCase("jsonb") ? "json" : declared;
    }

    /**
     * A user expression with its double-quoted identifiers in backticks. One MariaDB cannot read as PostgreSQL
     * does is refused while the phase is planned ({@link MariaDbRefusals}), so this does not throw then.
     */
    static String expression(SqlExpression expression) {
        return expression.wrapped(Quoting::backtick);
    }

    static String table(TableRef ref) {
        return ident(ref.schema()) + "." + ident(ref.name());
    }

    static String alter(TableRef ref) {
        return "ALTER TABLE " + table(ref) + " ";
    }

    static String names(List<String> names) {
        return names.stream().map(MariaDbDialect::ident).collect(Collectors.joining(", "));
    }

    @Override
    public List<String> createCopy(Ddl.CreateCopy s) {
        // SQL text, concatenated by a query over the copy's columns: a MODIFY keeps what the column model does not hold
        List<String> changes = new ArrayList<>();
        s.columns().forEach(c -> changes.add(s.added().contains(c.name())
                ? literal("ADD COLUMN IF NOT EXISTS " + column(c))
                : "(" + MariaDbRestatedColumn.select(literal("MODIFY ") + ", " + restated(c, true), s.copy(), c.name())
                + ")"));
        s.constraints().stream().filter(c -> c.kind() == ConstraintDef.Kind.CHECK).forEach(c -> changes.add(literal(
                "ADD CONSTRAINT IF NOT EXISTS " + ident(c.name()) + " CHECK " + expression(c.check()))));
        List<String> statements = new ArrayList<>();
        statements.add("CREATE TABLE IF NOT EXISTS " + table(s.copy()) + " LIKE " + table(s.table()));
        // LIKE starts the copy's AUTO_INCREMENT at 1: the new version's inserts would take keys the table has
        statements.addAll(prepared("SELECT CONCAT(" + literal(alter(s.copy()) + "AUTO_INCREMENT = ")
                + ", AUTO_INCREMENT) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(s.table().schema())
                + " AND TABLE_NAME = " + literal(s.table().name()) + " AND AUTO_INCREMENT IS NOT NULL", "_tandem_counter"));
        if (!changes.isEmpty()) {
            statements.addAll(prepared("SELECT CONCAT(" + literal(alter(s.copy())) + ", "
                    + String.join(", ', ', ", changes) + ")", "_tandem_copy_columns"));
        }
        s.renamedChecks().forEach((from, to) -> statements.addAll(renameCheck(s.copy(), from, to)));
        s.foreignKeys().forEach((name, copyName) -> statements.addAll(
                MariaDbForeignKeys.restate(s.table(), name, s.copy(), copyName)));
        s.constraints().stream().filter(c -> c.kind() == ConstraintDef.Kind.FOREIGN_KEY)
                .forEach(c -> statements.addAll(MariaDbForeignKeys.add(s.copy(), c)));
        return statements;
    }

    /**
     * Gives a check of the (empty) copy another name: dropped and added again with its clause as the server keeps it.
     * A run that renamed it already finds the new name and does nothing; a check that is neither (a column's own
     * check, which has no name of its own to drop) fails the drop, naming it.
     */
    private static List<String> renameCheck(TableRef copy, String from, String to) {
        String check = "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " + literal(copy.schema())
                + " AND TABLE_NAME = " + literal(copy.name()) + " AND LEVEL = 'Table' AND CONSTRAINT_NAME = ";
        String drop = alter(copy) + "DROP CONSTRAINT " + ident(from);
        return List.of("SET @tandem_statement = COALESCE((SELECT CONCAT(" + literal(drop + ", ADD CONSTRAINT "
                        + ident(to) + " CHECK (") + ", CHECK_CLAUSE, ')') " + check + literal(from) + "), (SELECT 'DO 0' "
                        + check + literal(to) + "), " + literal(drop) + ")",
                "PREPARE _tandem_rename_check FROM @tandem_statement", "EXECUTE _tandem_rename_check",
                "DEALLOCATE PREPARE _tandem_rename_check");
    }

    @Override
    public List<String> tableCopyTriggers(Ddl.TableCopyTriggers s) {
        return MariaDbTableCopyTriggers.render(s);
    }

    @Override
    public List<String> setAside(Ddl.SetAside s) {
        TableRef table = s.table();
        return List.of("BEGIN NOT ATOMIC\n  IF EXISTS (" + exists(table.withName(s.copy())) + ") AND EXISTS ("
                + exists(table) + ") THEN\n    ALTER TABLE " + table(table) + " RENAME TO "
                + table(table.withName(s.asideName())) + ";\n  END IF;\nEND");
    }

    @Override
    public List<String> referencingKey(Ddl.ReferencingKey s) {
        return switch (s.step()) {
            case ADD -> MariaDbForeignKeys.addSecond(s.table(), s.name(), s.copy(), s.copyName());
            case DROP_ORIGINAL -> List.of(MariaDbForeignKeys.drop(s.table(), s.name()));
            case DROP_COPY -> MariaDbForeignKeys.dropSecond(s.table(), s.name(), s.copyName());
        };
    }

    private static String exists(TableRef table) {
        return "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(table.schema())
                + " AND TABLE_NAME = " + literal(table.name()) + " AND TABLE_TYPE = 'BASE TABLE'";
    }
}
