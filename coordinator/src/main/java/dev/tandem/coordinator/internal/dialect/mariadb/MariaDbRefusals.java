package dev.tandem.coordinator.internal.dialect.mariadb;

import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.SyncTrigger;
import dev.tandem.coordinator.internal.sql.Quoting;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What MariaDB cannot do online, asked once for each statement while the phase is planned, before expand changes
 * anything: why, or null when {@link MariaDbSql} can render the statement. A change MariaDB could only make by
 * copying the table behind a write lock is refused, and so is a user expression MariaDB would not read as
 * PostgreSQL does ({@link SqlExpression#wrapped(java.util.function.UnaryOperator)} says why).
 */
final class MariaDbRefusals implements Ddl.Visitor<String> {

    /** For a renderer reached with a statement this class refuses, which planning never lets through. */
    static IllegalStateException neverRendered(Ddl ddl) {
        return new IllegalStateException("refused on MariaDB, so never rendered: " + ddl);
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
        return firstOf(types(s.columns()), expressions(s.columns().stream().map(ColumnDef::defaultValue).toList()));
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
        return firstOf(types(List.of(s.column())), expressions(Collections.singletonList(s.column().defaultValue())));
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
        return expressions(Collections.singletonList(s.value()));
    }

    @Override
    public String setViewDefault(Ddl.SetViewDefault s) {
        if (s.newColumn() == null) {
            return notOnline("a default supplied by the new version's view for a column the old version uses too"
                    + " (MariaDB views have no column defaults, and the table's would change the old version's inserts)");
        }
        return expressions(List.of(s.value()));
    }

    @Override
    public String setNotNull(Ddl.SetNotNull s) {
        return null;
    }

    @Override
    public String dropNotNull(Ddl.DropNotNull s) {
        return notOnline("dropping NOT NULL in place, which MariaDB makes by rebuilding the table");
    }

    @Override
    public String comment(Ddl.Comment s) {
        return s.column() == null || s.declared() ? null
                : notOnline("a column comment, which MariaDB can only set by restating the whole column");
    }

    @Override
    public String addConstraint(Ddl.AddConstraint s) {
        ConstraintDef c = s.constraint();
        if (s.notValid() && c.kind() != ConstraintDef.Kind.FOREIGN_KEY) {
            return notOnline("a " + c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " constraint on an"
                    + " existing table: MariaDB has no NOT VALID check constraints, so it would check every row while"
                    + " copying the table under a write lock (this includes NOT NULL on a new or altered column)");
        }
        if (c.kind() == ConstraintDef.Kind.PRIMARY_KEY) {
            return "not supported on MariaDB (yet): adding a primary key";
        }
        return expressions(Collections.singletonList(c.check()));
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
        return s.kind() == ConstraintDef.Kind.UNIQUE || s.kind() == ConstraintDef.Kind.FOREIGN_KEY ? null
                : notOnline("renaming a check constraint: MariaDB can only drop it and add it again, which checks"
                + " every row while copying the table under a write lock");
    }

    @Override
    public String addUniqueUsingIndex(Ddl.AddUniqueUsingIndex s) {
        return null;
    }

    @Override
    public String addPrimaryKeyUsingIndex(Ddl.AddPrimaryKeyUsingIndex s) {
        return notOnline("changing the type of a primary key: MariaDB changes a key column's type only by copying the "
                + "table under a write lock (ALGORITHM=COPY), not while a foreign key references it (error 1833), and "
                + "moving the primary key to a copy of the column rebuilds the table while foreign keys of other "
                + "tables must be dropped and added again");
    }

    @Override
    public String adoptSequence(Ddl.AdoptSequence s) {
        return notOnline("a sequence owned by a column (MariaDB's AUTO_INCREMENT belongs to the table)");
    }

    @Override
    public String moveIdentity(Ddl.MoveIdentity s) {
        return notOnline("an identity column (MariaDB's AUTO_INCREMENT belongs to the table)");
    }

    @Override
    public String createIndex(Ddl.CreateIndex s) {
        if (s.where() != null) {
            return notOnline("a partial index (MariaDB has no WHERE on indexes)");
        }
        return s.method() == null ? null : notOnline("an index with access method '" + s.method() + "'");
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
        return rules(s.trigger().down(), s.trigger().up());
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
        return s.newVersionStays() ? rules(s.trigger().down()) : null;
    }

    /** The change under the lock, then the fence's rules. */
    @Override
    public String switchUnderLock(Ddl.SwitchUnderLock s) {
        String change = s.change().accept(this);
        return change != null || s.fence() == null ? change : rules(s.fence().down());
    }

    @Override
    public String rawSql(Ddl.RawSql s) {
        return null;
    }

    @Override
    public String probe(Ddl.Probe s) {
        return expressions(List.of(s.expression()));
    }

    @Override
    public String syncProbe(Ddl.SyncProbe s) {
        return rules(List.of(s.rule()));
    }

    /**
     * PostgreSQL's types that MariaDB does not have under that name, and what to write instead. A file for both
     * databases gives the column MariaDB's type where the two differ (a text column is TEXT on both).
     */
    private static final Map<String, String> POSTGRES_TYPES = Map.of(
            "timestamptz", "DATETIME(6) or TIMESTAMP(6), in UTC",
            "timestamp with time zone", "DATETIME(6) or TIMESTAMP(6), in UTC",
            "timetz", "TIME(6)",
            "time with time zone", "TIME(6)",
            "bytea", "BLOB or VARBINARY(n)",
            "interval", "a number of seconds, or TIME",
            "inet", "INET6 or VARCHAR(45)",
            "cidr", "VARCHAR(49)",
            "money", "DECIMAL(19, 4)",
            "tsvector", "a FULLTEXT index on the text");

    /** Why MariaDB has no type of one of {@code columns}, or null. */
    private static String types(List<ColumnDef> columns) {
        for (ColumnDef column : columns) {
            String type = column.type().strip().toLowerCase(Locale.ROOT);
            String base = type.replaceFirst("\\s*\\(.*$", "");
            if (type.endsWith("]")) {
                return "column '" + column.name() + "' has type " + column.type() + ", a PostgreSQL array,"
                        + " which MariaDB does not have: use JSON; nothing was changed";
            }
            if (POSTGRES_TYPES.containsKey(base)) {
                return "column '" + column.name() + "' has type " + column.type() + ", which is PostgreSQL's"
                        + " and not MariaDB's: use " + POSTGRES_TYPES.get(base) + "; nothing was changed";
            }
        }
        return null;
    }

    private static String firstOf(String refusal, String other) {
        return refusal != null ? refusal : other;
    }

    private static String notOnline(String what) {
        return "not supported online on MariaDB (yet): " + what + "; nothing was changed";
    }

    /** Why the first of {@code expressions} (nulls skipped) cannot be written for MariaDB, or null. */
    private static String expressions(List<SqlExpression> expressions) {
        for (SqlExpression expression : expressions) {
            String refusal = expression == null ? null : expression(expression);
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    /** As {@link #expressions}, over the rules' expressions in the order a trigger renders them. */
    @SafeVarargs
    private static String rules(List<SyncTrigger.Rule>... rules) {
        for (List<SyncTrigger.Rule> each : rules) {
            String refusal = expressions(each.stream().map(SyncTrigger.Rule::expression).toList());
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    private static String expression(SqlExpression expression) {
        try {
            expression.wrapped(Quoting::backtick);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public String createCopy(Ddl.CreateCopy s) {
        List<SqlExpression> expressions = new ArrayList<>();
        s.columns().forEach(c -> expressions.add(c.defaultValue()));
        s.constraints().forEach(c -> expressions.add(c.check()));
        return firstOf(types(s.columns()), expressions(expressions));
    }

    @Override
    public String tableCopyTriggers(Ddl.TableCopyTriggers s) {
        return rules(s.sync().up(), s.sync().down());
    }

    @Override
    public String setAside(Ddl.SetAside s) {
        return null;
    }

    @Override
    public String referencingKey(Ddl.ReferencingKey s) {
        return null;
    }
}
