package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.BatchStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a table's key space into ranges of about {@link TandemConfig#rangeRows()} rows, at least one per
 * worker, at the quantiles of a random sample of its keys. Works for any key type and any gaps in the keys:
 * nothing assumes dense integers.
 */
final class RangePlanner {
    private static final int MAX_RANGES = 10_000;
    private static final int SAMPLES_PER_RANGE = 100;

    private final BatchStatements sql;
    private final TandemConfig config;
    private final Connection connection;

    RangePlanner(BatchStatements sql, TandemConfig config, Connection connection) {
        this.sql = sql;
        this.config = config;
        this.connection = connection;
    }

    /** The table's estimated rows: the planner's statistics, or a count when it was never analyzed. */
    static long estimate(BatchStatements sql, Connection connection, TableRef table) throws SQLException {
        long estimate = single(connection, sql.estimate(table));
        return estimate >= 0 ? estimate : single(connection, sql.count(table));
    }

    /** The inclusive upper keys of every range but the last, ascending. */
    List<String> boundaries(TableRef table, List<BackfillTarget.KeyColumn> key, long estimate) throws SQLException {
        long wanted = Math.min(MAX_RANGES, Math.max(config.workers(), (estimate + config.rangeRows() - 1)
                / config.rangeRows()));
        List<String> boundaries = new ArrayList<>();
        if (wanted <= 1) {
            return boundaries;
        }
        List<String> sample = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql.sampleKeys(table, key))) {
            s.setDouble(1, Math.min(100.0, 100.0 * SAMPLES_PER_RANGE * wanted / Math.max(1, estimate)));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    sample.add(Keys.read(rows, key.size()));
                }
            }
        }
        for (long i = 1; i < wanted; i++) {
            int at = (int) (i * sample.size() / wanted);
            if (at < sample.size() && (boundaries.isEmpty()
                    || !boundaries.get(boundaries.size() - 1).equals(sample.get(at)))) {
                boundaries.add(sample.get(at));
            }
        }
        return boundaries;
    }

    private static long single(Connection connection, String query) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(query)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }
}
