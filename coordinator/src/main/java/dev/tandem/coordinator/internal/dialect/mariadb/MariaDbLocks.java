package dev.tandem.coordinator.internal.dialect.mariadb;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.dialect.Lock;

/** The lock each statement of {@link MariaDbSql} takes on MariaDB, and what it means for the application. */
final class MariaDbLocks implements Ddl.Visitor<Lock> {
    /** The lock of statements that change metadata only: waiting for it is most of their run time. */
    static final String EXCLUSIVE = "MDL EXCLUSIVE";
    private static final Lock INSTANT = new Lock(EXCLUSIVE, true, "instant, metadata only; waits for "
            + "open transactions on the table, and later statements on the table queue behind it while it waits");
    private static final Lock ONLINE = new Lock("MDL SHARED UPGRADABLE", true, "builds while reads and writes "
            + "continue; exclusive metadata lock only briefly at start and end");
    private static final Lock NEW_TABLE = new Lock(EXCLUSIVE, false, "on a table this phase created only");
    private static final Lock NONE = new Lock("none", false, "no table lock");
    private static final Lock SET_NOT_NULL = new Lock("MDL SHARED UPGRADABLE", true, "rebuilds the table in place"
            + " while reads and writes continue; exclusive metadata lock only briefly at start and end; fails on a NULL");
    private static final Lock VERSION_DATABASE = new Lock("MDL on the version database", false,
            "the version database's views only");
    /** Every statement that creates, replaces or drops triggers takes this. */
    static final Lock TRIGGERS = new Lock(EXCLUSIVE, true,
            "briefly: blocks writes while the triggers are attached or removed");
    private static final Lock PROBE = new Lock("MDL SHARED READ", false, "reads at most 1000 rows");

    @Override
    public Lock createSchema(Ddl.CreateSchema s) {
        return VERSION_DATABASE;
    }

    @Override
    public Lock dropSchema(Ddl.DropSchema s) {
        return VERSION_DATABASE;
    }

    @Override
    public Lock createTable(Ddl.CreateTable s) {
        return NEW_TABLE;
    }

    @Override
    public Lock dropTable(Ddl.DropTable s) {
        return INSTANT;
    }

    @Override
    public Lock renameTable(Ddl.RenameTable s) {
        return INSTANT;
    }

    @Override
    public Lock addColumn(Ddl.AddColumn s) {
        return INSTANT;
    }

    @Override
    public Lock dropColumn(Ddl.DropColumn s) {
        return new Lock(EXCLUSIVE, true, "instant, and the column's indexes are dropped in place without a"
                + " rebuild; waits for open transactions on the table, and later statements queue behind it");
    }

    @Override
    public Lock renameColumn(Ddl.RenameColumn s) {
        return INSTANT;
    }

    @Override
    public Lock setDefault(Ddl.SetDefault s) {
        return INSTANT;
    }

    @Override
    public Lock setViewDefault(Ddl.SetViewDefault s) {
        return INSTANT; // the table's default of a column only the new version has
    }

    @Override
    public Lock setNotNull(Ddl.SetNotNull s) {
        return SET_NOT_NULL;
    }

    @Override
    public Lock dropNotNull(Ddl.DropNotNull s) {
        throw MariaDbRefusals.neverRendered(s);
    }

    @Override
    public Lock comment(Ddl.Comment s) {
        return INSTANT;
    }

    @Override
    public Lock addConstraint(Ddl.AddConstraint s) {
        if (s.notValid()) {
            return new Lock("MDL SHARED UPGRADABLE", true, "builds the key's index while reads and writes continue,"
                    + " exclusive metadata lock on both tables only briefly; then reads the rows to check (no lock)");
        }
        return s.constraint().kind() == ConstraintDef.Kind.FOREIGN_KEY
                ? new Lock(EXCLUSIVE, true, "briefly on both tables: the new table is empty, so no check")
                : NEW_TABLE;
    }

    @Override
    public Lock addNotNullCheck(Ddl.AddNotNullCheck s) {
        return NONE;
    }

    @Override
    public Lock validateConstraint(Ddl.ValidateConstraint s) {
        return s.notNullColumn() != null ? SET_NOT_NULL : NONE;
    }

    @Override
    public Lock dropConstraint(Ddl.DropConstraint s) {
        return ONLINE;
    }

    @Override
    public Lock renameConstraint(Ddl.RenameConstraint s) {
        return s.kind() == ConstraintDef.Kind.FOREIGN_KEY ? ONLINE : INSTANT;
    }

    @Override
    public Lock addUniqueUsingIndex(Ddl.AddUniqueUsingIndex s) {
        return NONE;
    }

    @Override
    public Lock addPrimaryKeyUsingIndex(Ddl.AddPrimaryKeyUsingIndex s) {
        throw MariaDbRefusals.neverRendered(s);
    }

    @Override
    public Lock adoptSequence(Ddl.AdoptSequence s) {
        throw MariaDbRefusals.neverRendered(s);
    }

    @Override
    public Lock moveIdentity(Ddl.MoveIdentity s) {
        throw MariaDbRefusals.neverRendered(s);
    }

    @Override
    public Lock createIndex(Ddl.CreateIndex s) {
        return ONLINE;
    }

    @Override
    public Lock dropIndex(Ddl.DropIndex s) {
        return ONLINE;
    }

    @Override
    public Lock renameIndex(Ddl.RenameIndex s) {
        return INSTANT;
    }

    @Override
    public Lock createVersionView(Ddl.CreateVersionView s) {
        return new Lock("MDL SHARED", false, "reads and writes continue");
    }

    @Override
    public Lock createSyncTrigger(Ddl.CreateSyncTrigger s) {
        return TRIGGERS;
    }

    @Override
    public Lock dropSyncTrigger(Ddl.DropSyncTrigger s) {
        return TRIGGERS;
    }

    @Override
    public Lock createCopyTrigger(Ddl.CreateCopyTrigger s) {
        return TRIGGERS;
    }

    @Override
    public Lock dropCopyTrigger(Ddl.DropCopyTrigger s) {
        return TRIGGERS;
    }

    @Override
    public Lock seedRows(Ddl.SeedRows s) {
        return new Lock("row locks", false, "on the seeded table's new rows; reads the source table as a consistent"
                + " read (READ COMMITTED), which takes no row locks on it");
    }

    @Override
    public Lock fenceSyncTrigger(Ddl.FenceSyncTrigger s) {
        return TRIGGERS;
    }

    @Override
    public Lock switchUnderLock(Ddl.SwitchUnderLock s) {
        return new Lock("LOCK TABLES WRITE", true, "on the table and the views of it of the new version and those"
                + " stacked on it, for as long as the instant change takes: their statements wait, then meet the views"
                + " made again for the names after it by second sessions queued behind the lock");
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
        return new Lock("MDL SHARED READ", false, "reads the table's definition; the copy's changes are made on an"
                + " empty table");
    }

    @Override
    public Lock tableCopyTriggers(Ddl.TableCopyTriggers s) {
        return TRIGGERS;
    }

    @Override
    public Lock setAside(Ddl.SetAside s) {
        return new Lock(EXCLUSIVE, false, "instant; only the fenced old version uses the table by then, and the new"
                + " version's statements go to the copy");
    }

    @Override
    public Lock referencingKey(Ddl.ReferencingKey s) {
        return s.step() == Ddl.ReferencingKey.Step.ADD ? new Lock("MDL SHARED UPGRADABLE", true, "on the referencing"
                + " table and the copy: reads and writes continue, exclusive metadata lock only briefly; no row is"
                + " checked, and MariaDB moves an index it made for the key to the second key in place")
                : new Lock(EXCLUSIVE, true, "instant, metadata only, on the referencing table; its index stays");
    }
}
