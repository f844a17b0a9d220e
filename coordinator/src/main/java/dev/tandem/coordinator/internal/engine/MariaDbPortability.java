package dev.tandem.coordinator.internal.engine;

import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect;
import dev.tandem.coordinator.internal.operation.AddColumn;
import dev.tandem.coordinator.internal.operation.AlterColumn;
import dev.tandem.coordinator.internal.operation.ColumnSpec;
import dev.tandem.coordinator.internal.operation.CreateConstraint;
import dev.tandem.coordinator.internal.operation.CreateIndex;
import dev.tandem.coordinator.internal.operation.CreateTable;
import dev.tandem.coordinator.internal.operation.DropColumn;
import dev.tandem.coordinator.internal.operation.Operation;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import dev.tandem.coordinator.migration.Migration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Whether a migration can run on MariaDB as far as the file tells, without a catalog: each operation's expressions
 * and the statements that MariaDB's refusals refuses whatever the tables hold (a partial index, an existing
 * column's comment or a check added to an existing table in place rather than through the table copy). What only the catalog tells (an
 * {@code AUTO_INCREMENT} column read by {@code up}, a foreign key's cascades) is left to {@code plan} on MariaDB.
 */
public final class MariaDbPortability {
    private static final TableRef ANY_TABLE = new TableRef("s", "t");

    private MariaDbPortability() {
    }

    /** Why {@code migration}, read for MariaDB ({@link Migration#on}), cannot run there, or null. */
    public static String refusal(Migration migration) {
        List<Operation> operations = Operation.of(migration);
        for (int i = 0; i < operations.size(); i++) {
            for (Ddl statement : statements(operations.get(i))) {
                String refusal = MariaDbDialect.refusalOnAnyServer(statement);
                if (refusal != null) {
                    return migration.describe(i) + ": " + refusal.replace("; nothing was changed", "");
                }
            }
        }
        return null;
    }

    /** The statements of {@code operation} that MariaDB refuses or accepts whatever the tables hold. */
    private static List<Ddl> statements(Operation operation) {
        List<Ddl> statements = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        if (operation instanceof AddColumn add) {
            expressions.add(add.up());
            column(add.column(), statements, expressions);
        } else if (operation instanceof CreateTable create) {
            create.columns().forEach(column -> column(column, statements, expressions));
        } else if (operation instanceof AlterColumn alter) {
            expressions.addAll(Arrays.asList(alter.up(), alter.down(), alter.defaultValue()));
            if (alter.type() != null) {
                statements.add(new Ddl.AddColumn(ANY_TABLE, new ColumnDef(alter.column(), alter.type(), null, false)));
            }
            if (alter.check() != null) {
                checkOnExistingTable(alter.check().expression(), AlterColumn.IN_PLACE.equals(alter.strategy()),
                        statements);
            }
            if (alter.comment() != null && AlterColumn.IN_PLACE.equals(alter.strategy())) {
                statements.add(new Ddl.Comment(ANY_TABLE, "c", alter.comment()));
            }
        } else if (operation instanceof DropColumn drop) {
            expressions.add(drop.down());
        } else if (operation instanceof CreateConstraint constraint && constraint.check() != null) {
            checkOnExistingTable(SqlExpression.parse(constraint.check()), false, statements);
        } else if (operation instanceof CreateIndex index) {
            statements.add(new Ddl.CreateIndex(ANY_TABLE, index.name(), index.columns(),
                    Boolean.TRUE.equals(index.unique()), index.method(),
                    index.where() == null ? null : SqlExpression.parse(index.where())));
        }
        List<Ddl> probesFirst = new ArrayList<>(expressions.stream().filter(Objects::nonNull)
                .map(e -> (Ddl) new Ddl.Probe(ANY_TABLE, SqlExpression.parse(e), false)).toList());
        probesFirst.addAll(statements);
        return probesFirst;
    }

    /**
     * A check on an existing table: MariaDB adds one only while it copies the table, which the table-copy strategy
     * does online wherever the catalog allows it ({@link CopyStrategy}); {@code plan} on MariaDB says where it does
     * not. Forced in place, it is refused whatever the tables hold. Its expression must read the same either way.
     */
    private static void checkOnExistingTable(SqlExpression check, boolean inPlace, List<Ddl> statements) {
        statements.add(inPlace ? new Ddl.AddConstraint(ANY_TABLE, ConstraintDef.check("k", check), true)
                : new Ddl.Probe(ANY_TABLE, check, false));
    }

    /**
     * A new column's type, default and check: a check on an existing table goes through the table copy, and a
     * comment is stated in the column's definition.
     */
    private static void column(ColumnSpec column, List<Ddl> statements, List<String> expressions) {
        statements.add(new Ddl.AddColumn(ANY_TABLE, new ColumnDef(column.name(), column.type(), null, false)));
        expressions.add(column.defaultValue());
        if (column.check() != null) {
            statements.add(new Ddl.Probe(ANY_TABLE, column.checkExpression(), false));
        }
    }
}
