package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import java.util.Locale;

/**
 * SQL the user writes, run in the phase it names inside the phase's transaction (with its lock timeout) and
 * with the migration's schema as the search path. Tandem cannot see what it changes, so the version views do
 * not reflect it; an expand-phase statement must come with the SQL that undoes it.
 */
public record RawSql(String phase, @JsonDeserialize(using = PerDatabase.class) String sql,
                     @JsonDeserialize(using = PerDatabase.class) String rollback) implements Operation {
    public RawSql {
        phase = Check.required("phase", phase).toLowerCase(Locale.ROOT);
        Check.required("sql", sql);
        if (sql.isBlank()) {
            throw new IllegalArgumentException("'sql' is empty");
        }
        if (!phase.equals("expand") && !phase.equals("contract")) {
            throw new IllegalArgumentException("'phase' must be expand or contract, not '" + phase + "'");
        }
        if (phase.equals("expand") && (rollback == null || rollback.isBlank())) {
            throw new IllegalArgumentException("an expand-phase sql operation needs 'rollback' SQL that undoes it");
        }
        if (phase.equals("contract") && rollback != null) {
            throw new IllegalArgumentException("a contract-phase sql operation cannot be rolled back: remove 'rollback'");
        }
    }

    @Override
    public String kind() {
        return "sql";
    }

    @Override
    public void apply(SchemaModel model) {
        // opaque to the schema model
    }

    @Override
    public void expand(PhaseContext context) {
        if (phase.equals("expand")) {
            context.inTransaction(new Ddl.RawSql(context.before().schema(), sql));
        }
    }

    @Override
    public void contract(PhaseContext context) {
        if (phase.equals("contract")) {
            context.inTransaction(new Ddl.RawSql(context.before().schema(), sql));
        }
    }

    @Override
    public void rollback(PhaseContext context) {
        if (phase.equals("expand")) {
            context.inTransaction(new Ddl.RawSql(context.before().schema(), rollback));
        }
    }
}
