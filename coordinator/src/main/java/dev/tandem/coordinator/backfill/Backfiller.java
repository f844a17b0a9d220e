package dev.tandem.coordinator.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.ddl.TableRef;
import dev.tandem.coordinator.dialect.Dialect;
import dev.tandem.coordinator.engine.BackfillTarget;
import dev.tandem.coordinator.engine.Retry;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills new and shadow columns of existing rows in primary-key order, one short transaction per batch. The
 * batch and its checkpoint commit together, so after a crash the next run continues after the last
 * committed batch and no row is processed twice or skipped. Rows are never read into the JVM: each batch
 * is one server-side UPDATE over a key range.
 */
public final class Backfiller {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dialect dialect;
    private final BatchStatements sql;
    private final StateStore state;
    private final TandemConfig config;
    private final Connection connection;
    private final String migration;

    public Backfiller(Dialect dialect, BatchStatements sql, StateStore state, TandemConfig config,
                      Connection connection, String migration) {
        this.dialect = dialect;
        this.sql = sql;
        this.state = state;
        this.config = config;
        this.connection = connection;
        this.migration = migration;
    }

    /** Backfills every target to the end; returns the rows updated by this run. */
    public long run(List<BackfillTarget> targets, BackfillListener listener) throws SQLException {
        List<BackfillProgress> saved = state.backfill(connection, config.schema(), migration);
        long updated = 0;
        for (BackfillTarget target : targets) {
            BackfillProgress progress = saved.stream().filter(p -> p.table().equals(target.table())).findFirst()
                    .orElse(null);
            if (progress == null) {
                progress = new BackfillProgress(target.table(), null, 0, estimate(target), false, Instant.now());
                state.saveBackfill(connection, config.schema(), migration, progress);
            }
            while (!progress.done()) {
                BackfillProgress next = batch(target, progress);
                updated += next.rowsDone() - progress.rowsDone();
                progress = next;
                listener.batchDone(progress);
            }
        }
        return updated;
    }

    private long estimate(BackfillTarget target) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rows = s.executeQuery(sql.estimate(table(target)))) {
            return rows.next() ? Math.max(0, rows.getLong(1)) : 0;
        }
    }

    private BackfillProgress batch(BackfillTarget target, BackfillProgress progress) {
        List<String> lower = progress.lastKey() == null ? null : decode(progress.lastKey());
        for (int attempt = 0; ; attempt++) {
            try {
                connection.setAutoCommit(false);
                try (Statement s = connection.createStatement()) {
                    s.execute(sql.markTransaction());
                    s.execute(sql.statementTimeout(config.batchStatementTimeout().toMillis()));
                }
                dialect.setLockTimeout(connection, config.lockTimeout(), true);
                List<String> upper = upperBound(target, lower);
                int rows;
                try (PreparedStatement update = connection.prepareStatement(
                        sql.update(table(target), target, lower == null, upper == null))) {
                    int p = bind(update, 1, lower);
                    bind(update, p, upper);
                    rows = update.executeUpdate();
                }
                BackfillProgress next = new BackfillProgress(target.table(), upper == null ? progress.lastKey()
                        : encode(upper), progress.rowsDone() + rows, progress.estimate(), upper == null, Instant.now());
                state.saveBackfill(connection, config.schema(), migration, next);
                connection.commit();
                connection.setAutoCommit(true);
                config.afterStep().accept("backfill/" + target.table() + "/" + next.rowsDone());
                return next;
            } catch (SQLException e) {
                rollbackQuietly();
                if (dialect.isRetryable(e) && attempt < config.lockRetries()) {
                    Retry.pause(Retry.delay(attempt, config.retryBaseDelay(), config.retryMaxDelay()));
                    continue;
                }
                throw new DatabaseException("backfill of table '" + target.table() + "' failed in the batch after key "
                        + (lower == null ? "(start)" : lower) + ": " + e.getMessage().strip()
                        + ". Earlier batches are kept; fix the cause and run backfill again, or roll back.", e);
            }
        }
    }

    private List<String> upperBound(BackfillTarget target, List<String> lower) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql.upperBound(table(target), target.key(),
                lower == null))) {
            int p = bind(s, 1, lower);
            s.setInt(p, config.batchSize() - 1);
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= target.key().size(); i++) {
                    key.add(rows.getString(i));
                }
                return key;
            }
        }
    }

    private static int bind(PreparedStatement s, int first, List<String> values) throws SQLException {
        if (values == null) {
            return first;
        }
        for (int i = 0; i < values.size(); i++) {
            s.setString(first + i, values.get(i));
        }
        return first + values.size();
    }

    private TableRef table(BackfillTarget target) {
        return new TableRef(config.schema(), target.table());
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; the error reported says why
        }
    }

    private static String encode(List<String> key) {
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> decode(String key) {
        try {
            return JSON.readValue(key, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt backfill checkpoint: " + key, e);
        }
    }
}
