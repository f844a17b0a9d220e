package dev.tandem.cli;

import com.zaxxer.hikari.util.DriverDataSource;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.sql.DatabaseUrl;
import dev.tandem.coordinator.verify.DatabaseLogin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import picocli.CommandLine.Option;

/** How a backfill batches, how many workers run it, and when it pauses: the options of {@code migrate backfill}. */
public final class BackfillOptions {
    @Option(names = "--batch-size", paramLabel = "ROWS", defaultValue = "1000",
            description = "rows of each backfill worker's first batch; later batches adapt toward --batch-target "
                    + "(default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--batch-min", paramLabel = "ROWS", defaultValue = "10",
            description = "the fewest rows a backfill batch shrinks to (default: ${DEFAULT-VALUE})")
    private int batchMin;

    @Option(names = "--batch-max", paramLabel = "ROWS", defaultValue = "200000",
            description = "the most rows a backfill batch grows to (default: ${DEFAULT-VALUE})")
    private int batchMax;

    @Option(names = "--batch-target", paramLabel = "MS", defaultValue = "500",
            description = "how long one backfill batch should take, in milliseconds (default: ${DEFAULT-VALUE})")
    private long batchTargetMillis;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "backfill workers in this process, each on its own connection; backfills started in "
                    + "other processes join in (default: ${DEFAULT-VALUE})")
    private int workers;

    @Option(names = "--max-rate", paramLabel = "ROWS", defaultValue = "0",
            description = "the most rows per second this process backfills; 0 for no limit (default: ${DEFAULT-VALUE})")
    private long maxRate;

    @Option(names = "--max-active-sessions", paramLabel = "N", defaultValue = "0",
            description = "pause the backfill while more sessions than this are active in the database; 0 for no "
                    + "limit (default: ${DEFAULT-VALUE})")
    private int maxActiveSessions;

    @Option(names = "--max-replication-lag", paramLabel = "MS", defaultValue = "0",
            description = "pause the backfill while a replica's replay lag exceeds this, in milliseconds; 0 for no "
                    + "limit (default: ${DEFAULT-VALUE})")
    private long maxReplicationLagMillis;

    @Option(names = "--replica", paramLabel = "URL",
            description = "a replica whose lag --max-replication-lag limits, read on its own connection; repeat for "
                    + "each. Its user and password come from the URL, else env TANDEM_USER and TANDEM_PASSWORD. "
                    + "Needed on MariaDB; on PostgreSQL the primary's own view of its standbys is used without it")
    private List<String> replicaUrls = new ArrayList<>();

    /** How many backfill workers this process runs, as given (the config checks it). */
    int workers() {
        return workers;
    }

    TandemConfig.Builder apply(TandemConfig.Builder config) {
        return config.batchSize(batchSize)
                .batchSizeBounds(batchMin, batchMax)
                .targetBatchDuration(Duration.ofMillis(batchTargetMillis))
                .workers(workers)
                .maxRate(maxRate)
                .maxActiveSessions(maxActiveSessions)
                .maxReplicationLag(Duration.ofMillis(maxReplicationLagMillis))
                .replicas(replicaUrls.stream().map(BackfillOptions::replica).toList());
    }

    /** Connections made when the backfill asks for one: it holds a single one per replica for its run. */
    private static DataSource replica(String url) {
        DatabaseUrl replica = DatabaseUrl.of(url);
        return new DriverDataSource(replica.jdbc(), null, new Properties(),
                replica.userOr(System.getenv(DatabaseLogin.USER_ENV)),
                replica.passwordOr(System.getenv(DatabaseLogin.PASSWORD_ENV)));
    }
}
