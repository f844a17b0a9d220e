package dev.tandem.dualwrite.internal;

import dev.tandem.dualwrite.verify.Drift;
import dev.tandem.dualwrite.verify.DriftReport;
import dev.tandem.dualwrite.verify.Shape;
import dev.tandem.state.DatabaseKind;
import dev.tandem.state.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The SQL of a drift check: one full outer join of both shapes on their keys, in one read-only snapshot. */
public final class DriftQuery {
    private final String schema;
    private final Shape oldShape;
    private final Shape newShape;

    public DriftQuery(String schema, Shape oldShape, Shape newShape) {
        this.schema = schema;
        this.oldShape = oldShape;
        this.newShape = newShape;
    }

    public DriftReport run(Connection c, int limit) throws SQLException {
        return Jdbc.inTransaction(c, () -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            return new DriftReport(count(c, "TRUE"), count(c, drifted()), first(c, limit));
        });
    }

    private String from() {
        String join = pairs(oldShape.key().size(), i -> "o." + ident(oldShape.key().get(i)) + " = n."
                + ident(newShape.key().get(i)), " AND ");
        return " FROM " + ident(schema) + "." + ident(oldShape.table()) + " o FULL JOIN " + ident(schema) + "."
                + ident(newShape.table()) + " n ON " + join;
    }

    private String drifted() {
        return "o." + ident(oldShape.key().get(0)) + " IS NULL OR n." + ident(newShape.key().get(0)) + " IS NULL OR "
                + pairs(oldShape.columns().size(), i -> "o." + ident(oldShape.columns().get(i))
                + " IS DISTINCT FROM n." + ident(newShape.columns().get(i)), " OR ");
    }

    private long count(Connection c, String where) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*)" + from() + " WHERE " + where);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private List<Drift> first(Connection c, int limit) throws SQLException {
        int keys = oldShape.key().size();
        int columns = oldShape.columns().size();
        String select = pairs(keys, i -> "coalesce(o." + ident(oldShape.key().get(i)) + "::text, n."
                + ident(newShape.key().get(i)) + "::text)", ", ")
                + ", o." + ident(oldShape.key().get(0)) + " IS NULL, n." + ident(newShape.key().get(0)) + " IS NULL, "
                + pairs(columns, i -> "o." + ident(oldShape.columns().get(i)) + "::text", ", ") + ", "
                + pairs(columns, i -> "n." + ident(newShape.columns().get(i)) + "::text", ", ");
        String order = pairs(keys, i -> "coalesce(o." + ident(oldShape.key().get(i)) + ", n."
                + ident(newShape.key().get(i)) + ")", ", ");
        List<Drift> drifts = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + select + from() + " WHERE " + drifted()
                + " ORDER BY " + order + " LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    boolean missingInOld = r.getBoolean(keys + 1);
                    boolean missingInNew = r.getBoolean(keys + 2);
                    Drift.Kind kind = missingInOld ? Drift.Kind.MISSING_IN_OLD
                            : missingInNew ? Drift.Kind.MISSING_IN_NEW : Drift.Kind.DIFFERENT;
                    drifts.add(new Drift(texts(r, 1, keys), kind,
                            missingInOld ? List.of() : texts(r, keys + 3, columns),
                            missingInNew ? List.of() : texts(r, keys + 3 + columns, columns)));
                }
            }
        }
        return drifts;
    }

    private static List<String> texts(ResultSet r, int first, int count) throws SQLException {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(r.getString(first + i));
        }
        return values;
    }

    private static String pairs(int count, IntFunction<String> pair, String separator) {
        return IntStream.range(0, count).mapToObj(pair).collect(Collectors.joining(separator));
    }

    private static String ident(String name) {
        return DatabaseKind.POSTGRESQL.ident(name);
    }
}
