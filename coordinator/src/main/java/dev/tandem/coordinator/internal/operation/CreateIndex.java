package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;
import java.util.Locale;

/** Builds an index (unique, partial, multi-column) concurrently at expand, so writes never wait for it. */
public record CreateIndex(String name, String table, List<String> columns, Boolean unique,
                          @JsonDeserialize(using = PerDatabase.Expression.class) String where,
                          String method) implements Operation {
    public CreateIndex {
        Check.name("name", name);
        Check.name("table", table);
        columns = Check.nonEmpty("columns", columns);
        columns.forEach(c -> Check.name("columns", c));
        Check.expression("where", where);
        // access methods are lower-case names; a quoted "GIN" would not be found
        method = method == null ? null : Check.name("method", method).toLowerCase(Locale.ROOT);
    }

    @Override
    public String kind() {
        return "create_index";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel target = Check.table(model, table);
        columns.forEach(c -> Check.column(target, c));
        if (model.hasRelationName(name)) {
            throw new OperationException("an index or table named '" + name + "' already exists");
        }
        model.addIndex(name, target.physical());
    }

    @Override
    public void expand(PhaseContext context) {
        TableModel after = Check.table(context.after(), table);
        TableRef ref = context.table(after.physical());
        SqlExpression predicate = where == null ? null : Columns.physical(after, Check.expression("where", where));
        if (predicate != null) {
            // a wrong predicate fails expand's transaction, which changes nothing, not the build after it
            context.inTransaction(new Ddl.Probe(ref, predicate, true));
        }
        context.afterTransaction(new Ddl.CreateIndex(ref, name,
                columns.stream().map(c -> Check.column(after, c).physical()).toList(),
                Boolean.TRUE.equals(unique), method, predicate));
    }

    @Override
    public void contract(PhaseContext context) {
        // the index is complete once expand has built it
    }

    @Override
    public void rollback(PhaseContext context) {
        TableModel after = Check.table(context.after(), table);
        context.beforeTransaction(new Ddl.DropIndex(context.table(after.physical()), name));
    }
}
