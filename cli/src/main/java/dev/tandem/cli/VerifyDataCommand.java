package dev.tandem.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.dualwrite.verify.Drift;
import dev.tandem.dualwrite.verify.DriftCheck;
import dev.tandem.dualwrite.verify.DriftReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify-data", description = "Compare the old and the new shape of data an application writes "
        + "with DualWriter, key by key, while the migration is expanded; exit " + ExitCodes.DRIFT
        + " when they differ.")
final class VerifyDataCommand extends BaseCommand {
    @Mixin
    ConnectionOptions connection;

    @Mixin
    EngineOptions engine;

    @Parameters(paramLabel = "MIGRATION", description = "the expanded migration whose shapes to compare")
    private String migration;

    @Option(names = "--spec", paramLabel = "FILE", required = true,
            description = "YAML (or .json) file naming each shape's table, key columns and compared columns")
    private Path specFile;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "list at most N drifted keys; all are counted (default: ${DEFAULT-VALUE})")
    private int limit;

    @Override
    protected int doCall() {
        VerifySpec spec = VerifySpec.read(specFile);
        engine.check();
        try (HikariDataSource pool = connection.open(2)) {
            TandemConfig config = engine.config(pool);
            DriftCheck check;
            try {
                check = new DriftCheck(config.schema(), spec.oldShape(), spec.newShape());
            } catch (IllegalArgumentException e) {
                throw new InvalidMigrationException(specFile + ": " + e.getMessage(), e);
            }
            requireExpanded(Tandem.create(pool, config));
            DriftReport report;
            try (Connection c = pool.getConnection()) {
                report = check.run(c, limit);
            } catch (SQLException e) {
                throw new DatabaseException("migration '" + migration + "': comparing " + spec.oldShape().table()
                        + " with " + spec.newShape().table() + " failed: " + e.getMessage(), e);
            }
            if (output.json()) {
                Json.print(out(), new Result(migration, report.compared(), report.drifted(), report.first()));
            } else {
                print(spec, report, out());
            }
            return report.clean() ? ExitCodes.OK : ExitCodes.DRIFT;
        }
    }

    private record Result(String migration, long compared, long drifted, List<Drift> drifts) {
    }

    /** Both shapes exist only while the migration is expanded: before, the new one may be missing; after, the old. */
    private void requireExpanded(Tandem tandem) {
        String phase = tandem.status().stream().filter(m -> m.name().equals(migration)).map(MigrationStatus::phase)
                .findFirst().orElseThrow(() -> new StateConflictException("migration '" + migration + "' is not "
                        + "recorded on schema '" + tandem.config().schema() + "'"));
        if (!phase.equals(Phase.EXPANDED.label())) {
            throw new StateConflictException("migration '" + migration + "' is " + phase + "; verify-data compares "
                    + "both shapes, which exist together only while it is expanded");
        }
    }

    private void print(VerifySpec spec, DriftReport report, PrintWriter out) {
        out.println(migration + ": " + report.compared() + " keys compared, " + report.drifted() + " drifted"
                + (report.clean() ? "" : ":"));
        for (Drift d : report.first()) {
            String key = "  key " + String.join(", ", d.key()) + ": ";
            if (d.kind() == Drift.Kind.MISSING_IN_NEW) {
                out.println(key + "missing in " + spec.newShape().table());
            } else if (d.kind() == Drift.Kind.MISSING_IN_OLD) {
                out.println(key + "missing in " + spec.oldShape().table());
            } else {
                out.println(key + values(spec.oldShape().table(), spec.oldShape().columns(), d.oldValues()) + " but "
                        + values(spec.newShape().table(), spec.newShape().columns(), d.newValues()));
            }
        }
        if (report.drifted() > report.first().size()) {
            out.println("  ... and " + (report.drifted() - report.first().size()) + " more");
        }
    }

    private static String values(String table, List<String> columns, List<String> values) {
        return IntStream.range(0, columns.size()).mapToObj(i -> table + "." + columns.get(i) + " = "
                + (values.get(i) == null ? "NULL" : "'" + values.get(i) + "'")).collect(Collectors.joining(", "));
    }
}
