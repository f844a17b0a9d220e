package dev.tandem.coordinator.internal.dialect.postgres;

import static dev.tandem.coordinator.internal.sql.Quoting.ident;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.dialect.Lock;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.Names;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL 12 and later. */
public final class PostgresDialect implements Dialect {
    /** The setting the backfill sets for its own transactions so the sync trigger stays out of its way. */
    public static final String BACKFILL_SETTING = "tandem.backfill";

    private static final Lock METADATA = new Lock("ACCESS EXCLUSIVE", true,
            "blocks reads and writes of the table only while the catalog changes (no scan, no rewrite)");
    private static final Lock NONE = new Lock("none", false, "no table lock");

    private final int serverMajorVersion;

    public PostgresDialect(int serverMajorVersion) {
        this.serverMajorVersion = serverMajorVersion;
    }

    public static PostgresDialect detect(Connection connection) throws SQLException {
        return new PostgresDialect(connection.getMetaData().getDatabaseMajorVersion());
    }

    @Override
    public String versionSchema(String schema, String migration) {
        return Names.bounded(schema + "_" + migration);
    }

    @Override
    public boolean transactional(Ddl ddl) {
        return !(ddl instanceof Ddl.CreateIndex || ddl instanceof Ddl.DropIndex);
    }

    @Override
    public List<String> statements(Ddl ddl) {
        if (ddl instanceof Ddl.CreateSchema s) {
            return List.of("CREATE SCHEMA " + ident(s.schema()));
        }
        if (ddl instanceof Ddl.DropSchema s) {
            return List.of("DROP SCHEMA IF EXISTS " + ident(s.schema()) + " CASCADE");
        }
        if (ddl instanceof Ddl.CreateTable s) {
            return List.of(createTable(s));
        }
        if (ddl instanceof Ddl.DropTable s) {
            return List.of("DROP TABLE IF EXISTS " + table(s.table()));
        }
        if (ddl instanceof Ddl.RenameTable s) {
            return List.of(alter(s.table()) + "RENAME TO " + ident(s.newName()));
        }
        if (ddl instanceof Ddl.AddColumn s) {
            return List.of(alter(s.table()) + "ADD COLUMN " + column(s.column()));
        }
        if (ddl instanceof Ddl.DropColumn s) {
            return List.of(alter(s.table()) + "DROP COLUMN IF EXISTS " + ident(s.column()));
        }
        if (ddl instanceof Ddl.RenameColumn s) {
            return List.of(alter(s.table()) + "RENAME COLUMN " + ident(s.column()) + " TO "
                    + ident(s.newName()));
        }
        if (ddl instanceof Ddl.SetDefault s) {
            return List.of(alter(s.table()) + "ALTER COLUMN " + ident(s.column())
                    + (s.value() == null ? " DROP DEFAULT" : " SET DEFAULT " + s.value().wrapped()));
        }
        if (ddl instanceof Ddl.SetViewDefault s) {
            return List.of("ALTER VIEW " + table(s.view()) + " ALTER COLUMN "
                    + ident(s.column()) + " SET DEFAULT " + s.value().wrapped());
        }
        if (ddl instanceof Ddl.SetNotNull s) {
            return List.of(alter(s.table()) + "ALTER COLUMN " + ident(s.column()) + " SET NOT NULL");
        }
        if (ddl instanceof Ddl.DropNotNull s) {
            return List.of(alter(s.table()) + "ALTER COLUMN " + ident(s.column()) + " DROP NOT NULL");
        }
        if (ddl instanceof Ddl.Comment s) {
            return List.of("COMMENT ON " + (s.column() == null ? "TABLE " + table(s.table())
                    : "COLUMN " + table(s.table()) + "." + ident(s.column())) + " IS " + literal(s.text()));
        }
        if (ddl instanceof Ddl.AddConstraint s) {
            return List.of(alter(s.table()) + "ADD " + constraint(s.constraint())
                    + (s.notValid() ? " NOT VALID" : ""));
        }
        if (ddl instanceof Ddl.ValidateConstraint s) {
            return List.of(alter(s.table()) + "VALIDATE CONSTRAINT " + ident(s.name()));
        }
        if (ddl instanceof Ddl.DropConstraint s) {
            return List.of(alter(s.table()) + "DROP CONSTRAINT IF EXISTS " + ident(s.name()));
        }
        if (ddl instanceof Ddl.RenameConstraint s) {
            return List.of(alter(s.table()) + "RENAME CONSTRAINT " + ident(s.name())
                    + " TO " + ident(s.newName()));
        }
        if (ddl instanceof Ddl.AddUniqueUsingIndex s) {
            return List.of(alter(s.table()) + "ADD CONSTRAINT " + ident(s.index())
                    + " UNIQUE USING INDEX " + ident(s.index()));
        }
        if (ddl instanceof Ddl.CreateIndex s) {
            return List.of(
                    // a build interrupted earlier leaves an invalid index of this name behind
                    "DROP INDEX CONCURRENTLY IF EXISTS " + table(s.table().withName(s.name())),
                    createIndex(s));
        }
        if (ddl instanceof Ddl.DropIndex s) {
            return List.of("DROP INDEX CONCURRENTLY IF EXISTS " + table(s.table().withName(s.name())));
        }
        if (ddl instanceof Ddl.RenameIndex s) {
            return List.of("ALTER INDEX " + table(s.table().withName(s.name())) + " RENAME TO "
                    + ident(s.newName()));
        }
        if (ddl instanceof Ddl.CreateVersionView s) {
            return List.of(createView(s));
        }
        if (ddl instanceof Ddl.CreateSyncTrigger s) {
            return SyncTriggers.create(s.trigger());
        }
        if (ddl instanceof Ddl.DropSyncTrigger s) {
            return SyncTriggers.drop(s.trigger());
        }
        if (ddl instanceof Ddl.Probe s) {
            return List.of("SELECT count(value) FROM (SELECT " + s.expression().wrapped() + " AS value FROM "
                    + table(s.relation()) + " LIMIT 1000) AS probe");
        }
        if (ddl instanceof Ddl.SyncProbe s) {
            return SyncTriggers.probe(s.trigger(), s.rule(), s.down());
        }
        if (ddl instanceof Ddl.RawSql s) {
            // the session's own search path comes back for the statements that follow in the transaction
            return List.of("SELECT set_config('tandem.search_path', current_setting('search_path'), true)",
                    "SET LOCAL search_path TO " + ident(s.schema()),
                    s.sql(),
                    "SELECT set_config('search_path', current_setting('tandem.search_path'), true)");
        }
        throw new IllegalArgumentException("unknown statement " + ddl);
    }

    @Override
    public Lock lock(Ddl ddl) {
        if (ddl instanceof Ddl.CreateSchema s) {
            return NONE;
        }
        if (ddl instanceof Ddl.DropSchema s) {
            return new Lock("ACCESS EXCLUSIVE", false, "on the schema's views only");
        }
        if (ddl instanceof Ddl.CreateTable s) {
            return new Lock("ACCESS EXCLUSIVE", false, "on the new table only");
        }
        if (ddl instanceof Ddl.DropTable s) {
            return METADATA;
        }
        if (ddl instanceof Ddl.RenameTable || ddl instanceof Ddl.DropColumn || ddl instanceof Ddl.RenameColumn
                || ddl instanceof Ddl.SetDefault || ddl instanceof Ddl.DropNotNull
                || ddl instanceof Ddl.DropConstraint || ddl instanceof Ddl.RenameConstraint) {
            return METADATA;
        }
        if (ddl instanceof Ddl.AddColumn s) {
            return s.column().defaultValue() == null || s.column().defaultValue().isConstant()
                    ? METADATA
                    : new Lock("ACCESS EXCLUSIVE", true, "rewrites the table: volatile default");
        }
        if (ddl instanceof Ddl.SetViewDefault s) {
            return new Lock("ACCESS EXCLUSIVE", false, "on the version view only");
        }
        if (ddl instanceof Ddl.SetNotNull s) {
            return new Lock("ACCESS EXCLUSIVE", true,
                    "catalog change only: a validated CHECK (column IS NOT NULL) spares the table scan");
        }
        if (ddl instanceof Ddl.Comment s) {
            return new Lock("SHARE UPDATE EXCLUSIVE", false, "reads and writes continue");
        }
        if (ddl instanceof Ddl.AddConstraint s) {
            return s.constraint().kind() == ConstraintDef.Kind.FOREIGN_KEY
                    ? new Lock("SHARE ROW EXCLUSIVE", true, "on both tables, briefly: blocks writes while the "
                    + "catalog changes" + (s.notValid() ? "; NOT VALID, so no scan" : ""))
                    : new Lock("ACCESS EXCLUSIVE", true, s.notValid()
                    ? "briefly, catalog change only: NOT VALID, so no scan"
                    : "on a table this phase created, which no one uses yet");
        }
        if (ddl instanceof Ddl.ValidateConstraint s) {
            return new Lock("SHARE UPDATE EXCLUSIVE", false,
                    "scans the table while reads and writes continue");
        }
        if (ddl instanceof Ddl.AddUniqueUsingIndex s) {
            return new Lock("ACCESS EXCLUSIVE", true,
                    "briefly, catalog change only: the unique index is already built");
        }
        if (ddl instanceof Ddl.CreateIndex s) {
            return new Lock("SHARE UPDATE EXCLUSIVE", false,
                    "builds concurrently while reads and writes continue");
        }
        if (ddl instanceof Ddl.DropIndex s) {
            return new Lock("SHARE UPDATE EXCLUSIVE", false,
                    "drops concurrently while reads and writes continue");
        }
        if (ddl instanceof Ddl.RenameIndex s) {
            return new Lock("SHARE UPDATE EXCLUSIVE", false, "reads and writes continue");
        }
        if (ddl instanceof Ddl.CreateVersionView s) {
            return new Lock("ACCESS SHARE", false, "reads and writes continue");
        }
        if (ddl instanceof Ddl.CreateSyncTrigger s) {
            return new Lock("SHARE ROW EXCLUSIVE", true,
                    "briefly: blocks writes while the trigger is attached");
        }
        if (ddl instanceof Ddl.DropSyncTrigger s) {
            return METADATA;
        }
        if (ddl instanceof Ddl.Probe || ddl instanceof Ddl.SyncProbe) {
            return new Lock("ACCESS SHARE", false, "reads at most 1000 rows");
        }
        if (ddl instanceof Ddl.RawSql s) {
            return new Lock("unknown", true, "user SQL: Tandem cannot tell which locks it takes");
        }
        throw new IllegalArgumentException("unknown statement " + ddl);
    }

    @Override
    public dev.tandem.coordinator.internal.backfill.BatchStatements batchStatements() {
        return new PostgresBatchStatements();
    }

    @Override
    public CatalogSnapshot readCatalog(Connection connection, String schema) throws SQLException {
        return new PostgresCatalog(connection, schema).read();
    }

    @Override
    public void setLockTimeout(Connection connection, Duration timeout, boolean transactionOnly) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("SET " + (transactionOnly ? "LOCAL " : "") + "lock_timeout = " + timeout.toMillis());
        }
    }

    @Override
    public void setIdleTransactionTimeout(Connection connection, Duration timeout) throws SQLException {
        if (timeout.isZero()) {
            return; // SET LOCAL ended with the transaction
        }
        try (var statement = connection.createStatement()) {
            statement.execute("SET LOCAL idle_in_transaction_session_timeout = " + timeout.toMillis());
        }
    }

    /** Class 08 (connection exception), 25P03 (idle-in-transaction timeout), 57P01 (terminated by an admin). */
    @Override
    public boolean isSessionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("25P03") || state.equals("57P01"));
    }

    @Override
    public boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return "55P03".equals(state) || "40P01".equals(state) || "40001".equals(state);
    }

    @Override
    public String missingRight(Connection connection, String schema, List<Ddl> statements) throws SQLException {
        return PostgresRights.missing(connection, schema, statements);
    }

    @Override
    public boolean isBadInput(SQLException e) {
        String state = e.getSQLState();
        // 42501, a missing privilege, is the database's setup, not the migration's input
        return state != null && (state.startsWith("42") && !state.equals("42501") || state.startsWith("22")
                || state.equals("23514")
                || state.equals("23503") || state.equals("23505") || state.equals("23502"));
    }

    @Override
    public String describeLockHolders(Connection connection, TableRef table) {
        String sql = "SELECT a.pid, l.mode, coalesce(a.application_name, ''), coalesce(a.state, ''), "
                + "coalesce(to_char(a.xact_start, 'YYYY-MM-DD HH24:MI:SS'), ''), left(coalesce(a.query, ''), 120) "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.granted AND l.pid <> pg_backend_pid() AND l.relation = to_regclass(?)";
        List<String> holders = new ArrayList<>();
        try (var statement = connection.prepareStatement(sql)) {
            statement.setString(1, ident(table.schema()) + "." + ident(table.name()));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    holders.add("pid " + rows.getInt(1) + " holds " + rows.getString(2) + " (application '"
                            + rows.getString(3) + "', " + rows.getString(4) + ", transaction since "
                            + rows.getString(5) + ", last statement: " + rows.getString(6) + ")");
                }
            }
        } catch (SQLException e) {
            return "";
        }
        return String.join("; ", holders);
    }

    private String createTable(Ddl.CreateTable s) {
        List<String> parts = new ArrayList<>();
        s.columns().forEach(c -> parts.add(column(c)));
        if (!s.primaryKey().isEmpty()) {
            parts.add("PRIMARY KEY (" + names(s.primaryKey()) + ")");
        }
        return "CREATE TABLE " + table(s.table()) + " (" + String.join(", ", parts) + ")";
    }

    private String createIndex(Ddl.CreateIndex s) {
        return "CREATE " + (s.unique() ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + ident(s.name()) + " ON "
                + table(s.table()) + (s.method() == null ? "" : " USING " + ident(s.method()))
                + " (" + names(s.elements()) + ")"
                + (s.where() == null ? "" : " WHERE " + s.where().wrapped());
    }

    private String createView(Ddl.CreateVersionView s) {
        String columns = s.columns().isEmpty() ? "" : s.columns().stream()
                .map(c -> ident(c.source()) + (c.source().equals(c.alias()) ? "" : " AS " + ident(c.alias())))
                .collect(Collectors.joining(", "));
        return "CREATE VIEW " + table(s.view())
                + (serverMajorVersion >= 15 ? " WITH (security_invoker = true)" : "")
                + " AS SELECT " + columns + " FROM " + table(s.source());
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
        return names.stream().map(dev.tandem.coordinator.internal.sql.Quoting::ident).collect(Collectors.joining(", "));
    }
}
