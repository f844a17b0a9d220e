package dev.tandem.coordinator.internal.dialect.postgres;

import static dev.tandem.coordinator.internal.sql.Quoting.ident;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.sql.Quoting;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of each statement on PostgreSQL, run in order. The lock each takes is {@link PostgresLocks}'; what
 * PostgreSQL refuses, {@link PostgresRefusals}', asked before anything is rendered.
 */
final class PostgresSql implements Ddl.Visitor<List<String>> {
    private final int serverMajorVersion;

    PostgresSql(int serverMajorVersion) {
        this.serverMajorVersion = serverMajorVersion;
    }

    @Override
    public List<String> createSchema(Ddl.CreateSchema s) {
        return List.of("CREATE SCHEMA " + ident(s.schema()));
    }

    @Override
    public List<String> dropSchema(Ddl.DropSchema s) {
        return List.of("DROP SCHEMA IF EXISTS " + ident(s.schema()) + " CASCADE");
    }

    @Override
    public List<String> createTable(Ddl.CreateTable s) {
        List<String> parts = new ArrayList<>();
        s.columns().forEach(c -> parts.add(column(c)));
        if (!s.primaryKey().isEmpty()) {
            parts.add("PRIMARY KEY (" + names(s.primaryKey()) + ")");
        }
        return List.of("CREATE TABLE " + table(s.table()) + " (" + String.join(", ", parts) + ")");
    }

    @Override
    public List<String> dropTable(Ddl.DropTable s) {
        return List.of("DROP TABLE IF EXISTS " + table(s.table()));
    }

    @Override
    public List<String> renameTable(Ddl.RenameTable s) {
        return List.of(alter(s.table()) + "RENAME TO " + ident(s.newName()));
    }

    @Override
    public List<String> addColumn(Ddl.AddColumn s) {
        ColumnDef c = s.column();
        if (c.likeColumn() == null) {
            return List.of(alter(s.table()) + "ADD COLUMN " + column(c));
        }
        // a shadow takes its original's collation where both types have one: without it a "C" column ended up with
        // the database's default at contract, sorting and comparing differently
        return List.of("""
                DO $tandem$
                DECLARE
                  collated text;
                BEGIN
                  SELECT format(' COLLATE %%I.%%I', n.nspname, k.collname) INTO collated
                  FROM pg_attribute a
                  JOIN pg_type t ON t.oid = a.atttypid
                  JOIN pg_collation k ON k.oid = a.attcollation
                  JOIN pg_namespace n ON n.oid = k.collnamespace
                  WHERE a.attrelid = %1$s::regclass AND a.attname = %2$s AND a.attcollation <> t.typcollation
                    AND (SELECT typcollation <> 0 FROM pg_type WHERE oid = to_regtype(%3$s));
                  EXECUTE %4$s || COALESCE(collated, '');
                END
                $tandem$""".formatted(literal(table(s.table())), literal(c.likeColumn()), literal(c.type()),
                literal(alter(s.table()) + "ADD COLUMN " + column(c))));
    }

    @Override
    public List<String> dropColumn(Ddl.DropColumn s) {
        return List.of(alter(s.table()) + "DROP COLUMN IF EXISTS " + ident(s.column()));
    }

    @Override
    public List<String> renameColumn(Ddl.RenameColumn s) {
        return List.of(alter(s.table()) + "RENAME COLUMN " + ident(s.column()) + " TO " + ident(s.newName()));
    }

    @Override
    public List<String> setDefault(Ddl.SetDefault s) {
        return List.of(alter(s.table()) + "ALTER COLUMN " + ident(s.column())
                + (s.value() == null ? " DROP DEFAULT" : " SET DEFAULT " + s.value().wrapped()));
    }

    @Override
    public List<String> setViewDefault(Ddl.SetViewDefault s) {
        return List.of("ALTER VIEW " + table(s.view()) + " ALTER COLUMN " + ident(s.column())
                + (s.value() == null ? " DROP DEFAULT" : " SET DEFAULT " + s.value().wrapped()));
    }

    @Override
    public List<String> setNotNull(Ddl.SetNotNull s) {
        return List.of(alter(s.table()) + "ALTER COLUMN " + ident(s.column()) + " SET NOT NULL");
    }

    @Override
    public List<String> dropNotNull(Ddl.DropNotNull s) {
        return List.of(alter(s.table()) + "ALTER COLUMN " + ident(s.column()) + " DROP NOT NULL");
    }

    @Override
    public List<String> comment(Ddl.Comment s) {
        return List.of("COMMENT ON " + (s.column() == null ? "TABLE " + table(s.table())
                : "COLUMN " + table(s.table()) + "." + ident(s.column())) + " IS " + literal(s.text()));
    }

    @Override
    public List<String> addConstraint(Ddl.AddConstraint s) {
        return List.of(alter(s.table()) + "ADD " + constraint(s.constraint()) + (s.notValid() ? " NOT VALID" : ""));
    }

    @Override
    public List<String> addNotNullCheck(Ddl.AddNotNullCheck s) {
        return List.of(alter(s.table()) + "ADD CONSTRAINT " + ident(s.name()) + " CHECK (" + ident(s.column())
                + " IS NOT NULL) NOT VALID");
    }

    @Override
    public List<String> validateConstraint(Ddl.ValidateConstraint s) {
        return List.of(alter(s.table()) + "VALIDATE CONSTRAINT " + ident(s.name()));
    }

    @Override
    public List<String> dropConstraint(Ddl.DropConstraint s) {
        return List.of(alter(s.table()) + "DROP CONSTRAINT IF EXISTS " + ident(s.name()));
    }

    @Override
    public List<String> renameConstraint(Ddl.RenameConstraint s) {
        return List.of(alter(s.table()) + "RENAME CONSTRAINT " + ident(s.name()) + " TO " + ident(s.newName()));
    }

    @Override
    public List<String> addUniqueUsingIndex(Ddl.AddUniqueUsingIndex s) {
        return List.of(alter(s.table()) + "ADD CONSTRAINT " + ident(s.index()) + " UNIQUE USING INDEX "
                + ident(s.index()));
    }

    @Override
    public List<String> addPrimaryKeyUsingIndex(Ddl.AddPrimaryKeyUsingIndex s) {
        return List.of(alter(s.table()) + "ADD CONSTRAINT " + ident(s.name()) + " PRIMARY KEY USING INDEX "
                + ident(s.index()));
    }

    @Override
    public List<String> adoptSequence(Ddl.AdoptSequence s) {
        return List.of("ALTER SEQUENCE " + table(s.sequence()) + (s.type() == null ? "" : " AS " + s.type())
                + " OWNED BY " + table(s.table()) + "." + ident(s.column()));
    }

    /**
     * One block, so the old sequence's position is read, the old identity dropped (with its sequence) and the new one
     * set to go on from there and renamed to the old sequence's name without a moment in between.
     */
    @Override
    public List<String> moveIdentity(Ddl.MoveIdentity s) {
        String table = literal(table(s.table()));
        return List.of("""
                DO $tandem$
                DECLARE
                  old_sequence text := pg_get_serial_sequence(%1$s, %2$s);
                  kind text;
                  position bigint;
                  called boolean;
                  sequence_name text;
                BEGIN
                  SELECT CASE attidentity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END INTO kind FROM pg_attribute
                  WHERE attrelid = %1$s::regclass AND attname = %2$s;
                  EXECUTE format('SELECT last_value, is_called FROM %%s', old_sequence) INTO position, called;
                  SELECT c.relname INTO sequence_name FROM pg_class c WHERE c.oid = old_sequence::regclass;
                  ALTER TABLE %3$s ALTER COLUMN %4$s DROP IDENTITY;
                  ALTER TABLE %3$s ALTER COLUMN %5$s SET NOT NULL;
                  EXECUTE format('ALTER TABLE %3$s ALTER COLUMN %5$s ADD GENERATED %%s AS IDENTITY', kind);
                  PERFORM setval(pg_get_serial_sequence(%1$s, %6$s), position, called);
                  EXECUTE format('ALTER SEQUENCE %%s RENAME TO %%I', pg_get_serial_sequence(%1$s, %6$s), sequence_name);
                END
                $tandem$""".formatted(table, literal(s.from()), table(s.table()), ident(s.from()), ident(s.to()),
                literal(s.to())));
    }

    @Override
    public List<String> createIndex(Ddl.CreateIndex s) {
        return List.of(
                // a build interrupted earlier leaves an invalid index of this name behind
                "DROP INDEX CONCURRENTLY IF EXISTS " + table(s.table().withName(s.name())),
                "CREATE " + (s.unique() ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + ident(s.name()) + " ON "
                        + table(s.table()) + (s.method() == null ? "" : " USING " + ident(s.method()))
                        + (s.definition() != null ? " " + s.definition().text() : " (" + names(s.elements()) + ")"
                        + (s.where() == null ? "" : " WHERE " + s.where().wrapped())));
    }

    @Override
    public List<String> dropIndex(Ddl.DropIndex s) {
        return List.of("DROP INDEX CONCURRENTLY IF EXISTS " + table(s.table().withName(s.name())));
    }

    @Override
    public List<String> renameIndex(Ddl.RenameIndex s) {
        return List.of("ALTER INDEX " + table(s.table().withName(s.name())) + " RENAME TO " + ident(s.newName()));
    }

    @Override
    public List<String> createVersionView(Ddl.CreateVersionView s) {
        String columns = s.columns().stream()
                .map(c -> ident(c.source()) + (c.source().equals(c.alias()) ? "" : " AS " + ident(c.alias())))
                .collect(Collectors.joining(", "));
        String create = "CREATE VIEW " + table(s.view())
                + (serverMajorVersion >= 15 ? " WITH (security_invoker = true)" : "")
                + " AS SELECT " + columns + " FROM " + table(s.source());
        return s.replace() ? List.of("DROP VIEW IF EXISTS " + table(s.view()), create) : List.of(create);
    }

    @Override
    public List<String> createSyncTrigger(Ddl.CreateSyncTrigger s) {
        return s.replace() ? SyncTriggers.replace(s.trigger()) : SyncTriggers.create(s.trigger());
    }

    @Override
    public List<String> dropSyncTrigger(Ddl.DropSyncTrigger s) {
        return SyncTriggers.drop(s.trigger());
    }

    @Override
    public List<String> createCopyTrigger(Ddl.CreateCopyTrigger s) {
        return RowCopyTriggers.create(s.trigger());
    }

    @Override
    public List<String> dropCopyTrigger(Ddl.DropCopyTrigger s) {
        return RowCopyTriggers.drop(s.trigger());
    }

    @Override
    public List<String> seedRows(Ddl.SeedRows s) {
        return RowCopyTriggers.seed(s);
    }

    @Override
    public List<String> fenceSyncTrigger(Ddl.FenceSyncTrigger s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public List<String> switchUnderLock(Ddl.SwitchUnderLock s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public List<String> rawSql(Ddl.RawSql s) {
        // the session's own search path comes back for the statements that follow in the transaction
        return List.of("SELECT set_config('tandem.search_path', current_setting('search_path'), true)",
                "SET LOCAL search_path TO " + ident(s.schema()),
                s.sql(),
                "SELECT set_config('search_path', current_setting('tandem.search_path'), true)");
    }

    @Override
    public List<String> probe(Ddl.Probe s) {
        String value = s.condition() ? "(" + s.expression().wrapped() + " IS TRUE)" : s.expression().wrapped();
        return List.of("SELECT count(value) FROM (SELECT " + value + " AS value FROM " + table(s.relation())
                + " LIMIT 1000) AS probe");
    }

    @Override
    public List<String> syncProbe(Ddl.SyncProbe s) {
        return SyncTriggers.probe(s.trigger(), s.rule(), s.down());
    }

    private static String column(ColumnDef c) {
        return ident(c.name()) + " " + c.type()
                + (c.defaultValue() == null ? "" : " DEFAULT " + c.defaultValue().wrapped())
                + (c.notNull() ? " NOT NULL" : "");
    }

    private static String constraint(ConstraintDef c) {
        String body = switch (c.kind()) {
            case CHECK -> "CHECK " + c.check().wrapped();
            case UNIQUE -> "UNIQUE (" + names(c.columns()) + ")";
            case PRIMARY_KEY -> "PRIMARY KEY (" + names(c.columns()) + ")";
            case FOREIGN_KEY -> "FOREIGN KEY (" + names(c.columns()) + ") REFERENCES " + table(c.references())
                    + " (" + names(c.referencedColumns()) + ")"
                    + (c.onDelete() == null ? "" : " ON DELETE " + c.onDelete());
        };
        return "CONSTRAINT " + ident(c.name()) + " " + body;
    }

    static String table(TableRef ref) {
        return ident(ref.schema()) + "." + ident(ref.name());
    }

    private static String alter(TableRef ref) {
        return "ALTER TABLE " + table(ref) + " ";
    }

    private static String names(List<String> names) {
        return names.stream().map(Quoting::ident).collect(Collectors.joining(", "));
    }

    @Override
    public List<String> createCopy(Ddl.CreateCopy s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public List<String> tableCopyTriggers(Ddl.TableCopyTriggers s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public List<String> setAside(Ddl.SetAside s) {
        throw PostgresRefusals.neverRendered(s);
    }

    @Override
    public List<String> referencingKey(Ddl.ReferencingKey s) {
        throw PostgresRefusals.neverRendered(s);
    }
}
