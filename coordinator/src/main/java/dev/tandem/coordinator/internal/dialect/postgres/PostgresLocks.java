package dev.tandem.coordinator.internal.dialect.postgres;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.dialect.Lock;

/** The lock each statement of {@link PostgresSql} takes on PostgreSQL, and what it means for the application. */
final class PostgresLocks implements Ddl.Visitor<Lock> {
    private static final Lock METADATA = new Lock("ACCESS EXCLUSIVE", true,
            "blocks reads and writes of the table only while the catalog changes (no scan, no rewrite)");
    private static final Lock NONE = new Lock("none", false, "no table lock");
    private static final Lock CATALOG_ONLY_NOT_VALID = new Lock("ACCESS EXCLUSIVE", true,
            "briefly, catalog change only: NOT VALID, so no scan");
    private static final Lock CONCURRENT = new Lock("SHARE UPDATE EXCLUSIVE", false, "reads and writes continue");
    private static final Lock PROBE = new Lock("ACCESS SHARE", false, "reads at most 1000 rows");

    @Override
    public Lock createSchema(Ddl.CreateSchema s) {
        return NONE;
    }

    @Override
    public Lock dropSchema(Ddl.DropSchema s) {
        return new Lock("ACCESS EXCLUSIVE", false, "on the schema's views only");
    }

    @Override
    public Lock createTable(Ddl.CreateTable s) {
        return new Lock("ACCESS EXCLUSIVE", false, "on the new table only");
    }

    @Override
    public Lock dropTable(Ddl.DropTable s) {
        return METADATA;
    }

    @Override
    public Lock renameTable(Ddl.RenameTable s) {
        return METADATA;
    }

    @Override
    public Lock addColumn(Ddl.AddColumn s) {
        return s.column().defaultValue() == null || s.column().defaultValue().isConstant()
                ? METADATA
                : new Lock("ACCESS EXCLUSIVE", true, "rewrites the table: volatile default");
    }

    @Override
    public Lock dropColumn(Ddl.DropColumn s) {
        return METADATA;
    }

    @Override
    public Lock renameColumn(Ddl.RenameColumn s) {
        return METADATA;
    }

    @Override
    public Lock setDefault(Ddl.SetDefault s) {
        return METADATA;
    }

    @Override
    public Lock setViewDefault(Ddl.SetViewDefault s) {
        return new Lock("ACCESS EXCLUSIVE", false, "on the version view only");
    }

    @Override
    public Lock setNotNull(Ddl.SetNotNull s) {
        return new Lock("ACCESS EXCLUSIVE", true,
                "catalog change only: a validated CHECK (column IS NOT NULL) spares the table scan");
    }

    @Override
    public Lock dropNotNull(Ddl.DropNotNull s) {
        return METADATA;
    }

    @Override
    public Lock comment(Ddl.Comment s) {
        return CONCURRENT;
    }

    @Override
    public Lock addConstraint(Ddl.AddConstraint s) {
        if (s.constraint().kind() == ConstraintDef.Kind.FOREIGN_KEY) {
            return new Lock("SHARE ROW EXCLUSIVE", true, "on both tables, briefly: blocks writes while the "
                    + "catalog changes" + (s.notValid() ? "; NOT VALID, so no scan" : ""));
        }
        return s.notValid() ? CATALOG_ONLY_NOT_VALID
                : new Lock("ACCESS EXCLUSIVE", true, "on a table this phase created, which no one uses yet");
    }

    @Override
    public Lock addNotNullCheck(Ddl.AddNotNullCheck s) {
        return CATALOG_ONLY_NOT_VALID;
    }

    @Override
    public Lock validateConstraint(Ddl.ValidateConstraint s) {
        return new Lock("SHARE UPDATE EXCLUSIVE", false, "scans the table while reads and writes continue");
    }

    @Override
    public Lock dropConstraint(Ddl.DropConstraint s) {
        return METADATA;
    }

    @Override
    public Lock renameConstraint(Ddl.RenameConstraint s) {
        return METADATA;
    }

    @Override
    public Lock addUniqueUsingIndex(Ddl.AddUniqueUsingIndex s) {
        return new Lock("ACCESS EXCLUSIVE", true, "briefly, catalog change only: the unique index is already built");
    }

    @Override
    public Lock addPrimaryKeyUsingIndex(Ddl.AddPrimaryKeyUsingIndex s) {
        return new Lock("ACCESS EXCLUSIVE", true, "briefly, catalog change only: the unique index is already built and "
                + "its column already NOT NULL");
    }

    @Override
    public Lock adoptSequence(Ddl.AdoptSequence s) {
        return new Lock("SHARE ROW EXCLUSIVE", true, "on the sequence: nextval waits until the transaction commits "
                + "(catalog change only)");
    }

    @Override
    public Lock moveIdentity(Ddl.MoveIdentity s) {
        return new Lock("ACCESS EXCLUSIVE", true, "briefly, catalog change only: the column is already NOT NULL");
    }

    @Override
    public Lock createIndex(Ddl.CreateIndex s) {
        return new Lock("SHARE UPDATE EXCLUSIVE", false, "builds concurrently while reads and writes continue");
    }

    @Override
    public Lock dropIndex(Ddl.DropIndex s) {
        return new Lock("SHARE UPDATE EXCLUSIVE", false, "drops concurrently while reads and writes continue");
    }

    @Override
    public Lock renameIndex(Ddl.RenameIndex s) {
        return CONCURRENT;
    }

    @Override
    public Lock createVersionView(Ddl.CreateVersionView s) {
        if (s.replace()) {
            return new Lock("ACCESS EXCLUSIVE on the view", true, "briefly: the version's statements on the view wait "
                    + "while it is made again");
        }
        return new Lock("ACCESS SHARE", false, "reads and writes continue");
    }

    @Override
    public Lock createSyncTrigger(Ddl.CreateSyncTrigger s) {
        if (s.replace()) {
            return new Lock("none: the trigger's functions are replaced", false, "reads and writes continue");
        }
        return new Lock("SHARE ROW EXCLUSIVE", true, "briefly: blocks writes while the trigger is attached");
    }

    @Override
    public Lock dropSyncTrigger(Ddl.DropSyncTrigger s) {
        return METADATA;
    }

    @Override
    public Lock createCopyTrigger(Ddl.CreateCopyTrigger s) {
        return new Lock("SHARE ROW EXCLUSIVE", true, "briefly: blocks writes while the trigger is attached");
    }

    @Override
    public Lock dropCopyTrigger(Ddl.DropCopyTrigger s) {
        return METADATA;
    }

    @Override
    public Lock seedRows(Ddl.SeedRows s) {
        return new Lock("ROW EXCLUSIVE", false, "on the seeded table; reads the source table under ACCESS SHARE,"
                + " which blocks no reads or writes");
    }

    @Override
    public Lock fenceSyncTrigger(Ddl.FenceSyncTrigger s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public Lock switchUnderLock(Ddl.SwitchUnderLock s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public Lock rawSql(Ddl.RawSql s) {
        return new Lock("unknown", true, "user SQL: Tandem cannot tell which locks it takes");
    }

    @Override
    public Lock probe(Ddl.Probe s) {
        return PROBE;
    }

    @Override
    public Lock syncProbe(Ddl.SyncProbe s) {
        return PROBE;
    }

    @Override
    public Lock createCopy(Ddl.CreateCopy s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public Lock tableCopyTriggers(Ddl.TableCopyTriggers s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public Lock setAside(Ddl.SetAside s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public Lock referencingKey(Ddl.ReferencingKey s) {
        throw PostgresRefusals.neverRendered(s);
    }
}
