package dev.tandem.coordinator.internal.dialect.postgres;

import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import java.util.Locale;
import java.util.Objects;

/**
 * What PostgreSQL refuses, asked once for each statement while the phase is planned, before anything is rendered
 * or changed: why the statement cannot run, or null when it can. PostgreSQL runs every statement Tandem plans for
 * it but a column of MariaDB's enum or set type; the two statements it refuses are those the planner only makes
 * where DDL is not transactional or views name columns by text (MariaDB).
 */
final class PostgresRefusals implements Ddl.Visitor<String> {

    /** For a renderer reached with a statement this class refuses, which planning never lets through. */
    static IllegalStateException neverRendered(Ddl ddl) {
        return new IllegalStateException("refused on PostgreSQL, so never rendered: " + ddl);
    }

    @Override
    public String createSchema(Ddl.CreateSchema s) {
        return null;
    }

    @Override
    public String dropSchema(Ddl.DropSchema s) {
        return null;
    }

    @Override
    public String createTable(Ddl.CreateTable s) {
        return s.columns().stream().map(PostgresRefusals::mariaDbListType).filter(Objects::nonNull).findFirst()
                .orElse(null);
    }

    /** MariaDB's enum and set types, with their values in the type: PostgreSQL names an enum type instead. */
    private static String mariaDbListType(ColumnDef column) {
        return column.type().toLowerCase(Locale.ROOT).matches("(enum|set) ?\\(.*")
                ? "column '" + column.name() + "' has type " + column.type() + ", which is MariaDB's and not"
                + " PostgreSQL's: create an enum type (CREATE TYPE … AS ENUM, in a sql operation) and name it, or use"
                + " text with a check; nothing was changed" : null;
    }

    @Override
    public String dropTable(Ddl.DropTable s) {
        return null;
    }

    @Override
    public String renameTable(Ddl.RenameTable s) {
        return null;
    }

    @Override
    public String addColumn(Ddl.AddColumn s) {
        return mariaDbListType(s.column());
    }

    @Override
    public String dropColumn(Ddl.DropColumn s) {
        return null;
    }

    @Override
    public String renameColumn(Ddl.RenameColumn s) {
        return null;
    }

    @Override
    public String setDefault(Ddl.SetDefault s) {
        return null;
    }

    @Override
    public String setViewDefault(Ddl.SetViewDefault s) {
        return null;
    }

    @Override
    public String setNotNull(Ddl.SetNotNull s) {
        return null;
    }

    @Override
    public String dropNotNull(Ddl.DropNotNull s) {
        return null;
    }

    @Override
    public String comment(Ddl.Comment s) {
        return null;
    }

    @Override
    public String addConstraint(Ddl.AddConstraint s) {
        return null;
    }

    @Override
    public String addNotNullCheck(Ddl.AddNotNullCheck s) {
        return null;
    }

    @Override
    public String validateConstraint(Ddl.ValidateConstraint s) {
        return null;
    }

    @Override
    public String dropConstraint(Ddl.DropConstraint s) {
        return null;
    }

    @Override
    public String renameConstraint(Ddl.RenameConstraint s) {
        return null;
    }

    @Override
    public String addUniqueUsingIndex(Ddl.AddUniqueUsingIndex s) {
        return null;
    }

    @Override
    public String addPrimaryKeyUsingIndex(Ddl.AddPrimaryKeyUsingIndex s) {
        return null;
    }

    @Override
    public String adoptSequence(Ddl.AdoptSequence s) {
        return null;
    }

    @Override
    public String moveIdentity(Ddl.MoveIdentity s) {
        return null;
    }

    @Override
    public String createIndex(Ddl.CreateIndex s) {
        return null;
    }

    @Override
    public String dropIndex(Ddl.DropIndex s) {
        return null;
    }

    @Override
    public String renameIndex(Ddl.RenameIndex s) {
        return null;
    }

    @Override
    public String createVersionView(Ddl.CreateVersionView s) {
        return null;
    }

    @Override
    public String createSyncTrigger(Ddl.CreateSyncTrigger s) {
        return null;
    }

    @Override
    public String dropSyncTrigger(Ddl.DropSyncTrigger s) {
        return null;
    }

    @Override
    public String createCopyTrigger(Ddl.CreateCopyTrigger s) {
        return null;
    }

    @Override
    public String dropCopyTrigger(Ddl.DropCopyTrigger s) {
        return null;
    }

    @Override
    public String seedRows(Ddl.SeedRows s) {
        return null;
    }

    @Override
    public String fenceSyncTrigger(Ddl.FenceSyncTrigger s) {
        return "a fence trigger exists only where DDL is not transactional; PostgreSQL drops the sync trigger in the"
                + " phase's transaction instead";
    }

    @Override
    public String switchUnderLock(Ddl.SwitchUnderLock s) {
        return "a switch under a table lock exists only where views name columns by text; PostgreSQL's views"
                + " follow renames";
    }

    @Override
    public String rawSql(Ddl.RawSql s) {
        return null;
    }

    @Override
    public String probe(Ddl.Probe s) {
        return null;
    }

    @Override
    public String syncProbe(Ddl.SyncProbe s) {
        return null;
    }

    @Override
    public String createCopy(Ddl.CreateCopy s) {
        return copyStrategy();
    }

    @Override
    public String tableCopyTriggers(Ddl.TableCopyTriggers s) {
        return copyStrategy();
    }

    @Override
    public String setAside(Ddl.SetAside s) {
        return copyStrategy();
    }

    @Override
    public String referencingKey(Ddl.ReferencingKey s) {
        return copyStrategy();
    }

    /** PostgreSQL changes a column without rewriting the table behind a lock (shadow column, NOT VALID constraints). */
    private static String copyStrategy() {
        return "the table-copy strategy is MariaDB's: on PostgreSQL every change is made in place (strategy: in_place)";
    }
}
