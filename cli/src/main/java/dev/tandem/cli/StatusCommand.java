package dev.tandem.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DirectoryStatus;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.MigrationDirectory;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.coordinator.state.VersionStatus;
import dev.tandem.liquibase.ChangelogStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "List the migrations recorded for the schema, oldest first: phase, "
        + "version schema and backfill progress, and for each in flight the version it builds on and its own, whether "
        + "each is served and its live instances; and the application instances alive per version. With "
        + "--changelog: the changelog's changesets, each with its phase label and whether it ran, and Tandem's phase.")
final class StatusCommand extends TandemCommand {
    @Parameters(paramLabel = "DIR", arity = "0..1", description = "a directory of migrations: each of its files as "
            + "applied, in flight (phase, backfill), pending or edited, in the order they apply")
    private Path directory;

    @Mixin
    private DirectoryOptions directories;

    @Mixin
    private ChangelogOption changelog;

    @Mixin
    private InstanceOptions instances;

    @Override
    protected TandemConfig.Builder settings(TandemConfig.Builder config) {
        return instances.apply(config);
    }

    @Mixin
    private FleetOption fleet;

    @Override
    protected int doCall() {
        fleet.refuse(changelog.file() != null, "--changelog");
        if (changelog.file() != null) {
            return changelogStatus();
        }
        if (directory != null) {
            fleet.refuse(true, "DIR");
            return directoryStatus(MigrationDirectory.read(directory));
        }
        if (fleet.file() != null) {
            return new FleetRun(this, fleet.file()).status();
        }
        return withTandem(tandem -> {
            Status status = new Status(tandem.config().schema(), tandem.status(), tandem.liveInstances());
            if (output.json()) {
                Json.print(out(), status);
            } else {
                print(status, tandem.config().instanceTtl().toSeconds(), out());
            }
            return ExitCodes.OK;
        });
    }

    private int directoryStatus(MigrationDirectory migrations) {
        return withTandem(tandem -> {
            DirectoryStatus status = directories.status(tandem, migrations, err());
            List<FileStatus> files = status.migrations().stream().map(FileStatus::of).toList();
            if (output.json()) {
                Json.print(out(), new DirectoryView(status.schema(), status.directory(), files, status.missing()));
                return ExitCodes.OK;
            }
            out().println(status.directory() + " on schema " + status.schema() + ":");
            int width = files.stream().mapToInt(f -> f.file().length()).max().orElse(0);
            for (FileStatus file : files) {
                out().println("  " + String.format("%-" + width + "s", file.file()) + "  " + file.name() + ": "
                        + file.describe());
            }
            if (!status.missing().isEmpty()) {
                out().println("recorded, but in no file of the directory: " + String.join(", ", status.missing()));
            }
            return ExitCodes.OK;
        });
    }

    private record DirectoryView(String schema, String directory, List<FileStatus> migrations,
                                 List<String> missing) {
    }

    /**
     * One file of a directory as status shows it.
     *
     * @param state applied, in_flight, pending or edited
     */
    private record FileStatus(String file, String name, String state, String phase, Boolean backfillComplete,
                              String checksum, String recordedChecksum) {
        static FileStatus of(DirectoryStatus.Entry entry) {
            boolean inFlight = entry.state() == DirectoryStatus.State.IN_FLIGHT;
            return new FileStatus(entry.file(), entry.name(), entry.state().name().toLowerCase(Locale.ROOT),
                    entry.phase(), inFlight ? entry.backfillComplete() : null, entry.migration().checksum(),
                    entry.recordedChecksum());
        }

        String describe() {
            return switch (state) {
                case "in_flight" -> "in flight, " + phase + (phase.equals(Phase.EXPANDED.label())
                        ? ", backfill " + (backfillComplete ? "done" : "not done") : "");
                case "edited" -> "edited: " + phase + " from a file with checksum " + recordedChecksum
                        + ", the file now has " + checksum;
                default -> state;
            };
        }
    }

    /** Reads DATABASECHANGELOG and Tandem's state without the run lock, so it answers while a phase runs. */
    private int changelogStatus() {
        engine.check(this::settings);
        try (HikariDataSource pool = connection.open(1)) {
            Tandem tandem = Tandem.create(pool, engine.config(pool, this::settings));
            ChangelogStatus status = liquibase(tandem).status(changelog.changelog(), pool);
            if (output.json()) {
                Json.print(out(), status);
                return ExitCodes.OK;
            }
            out().println(status.changelog() + ": Tandem's phase "
                    + (status.tandemPhase() == null ? "none (not run through migrate)" : status.tandemPhase()));
            for (ChangelogStatus.Entry entry : status.changeSets()) {
                out().println("  " + entry.changeSet() + "  " + (entry.label().isEmpty() ? "(history)" : entry.label())
                        + "  " + (entry.applied() ? "applied" : "pending")
                        + (entry.tandemPhase() == null ? "" : "  recorded by Tandem as " + entry.tandemPhase()));
            }
            return ExitCodes.OK;
        }
    }

    private record Status(String schema, List<MigrationStatus> migrations,
                          Map<String, List<LiveInstance>> liveInstances) {
    }

    private static void print(Status status, long instanceTtlSeconds, PrintWriter out) {
        if (status.migrations().isEmpty()) {
            out.println("No migrations recorded on schema " + status.schema() + ".");
        }
        for (MigrationStatus m : status.migrations()) {
            out.println(m.name() + ": " + m.phase() + " (file " + m.source() + ", updated " + m.updatedAt() + ")");
            out.println("  new version's schema: " + m.versionSchema() + "; old version's: "
                    + (m.previousVersionSchema() == null ? m.schema() : m.previousVersionSchema()));
            for (BackfillProgress table : m.backfill()) {
                out.println("  backfill " + table.table() + ": " + table.rowsDone() + " rows"
                        // the estimate is the planner's, from before the application's inserts since
                        + (table.estimate() > 0 ? " of about " + Math.max(table.estimate(), table.rowsDone()) : "")
                        + (table.done() ? ", done" : ", not done") + "; " + table.rangesDone() + " of "
                        + table.ranges() + " key ranges done, " + table.activeLeases() + " being filled now"
                        + (table.pausedMillis() > 0 ? ", paused " + table.pausedMillis() / 1000.0
                        + " s (throttle or control)" : ""));
            }
            if (m.phase().equals(Phase.CONTRACTED_KEPT.label())) {
                out.println("  old shape kept for a revert: `migrate revert " + m.name() + "` brings the old version "
                        + "back, `migrate purge " + m.name() + "` drops it");
            }
            if (!m.backfillPending().isEmpty()) {
                out.println("  backfill pending: " + String.join(", ", m.backfillPending()));
            }
            if (m.backfillControl().changedAt() != null) {
                out.println("  backfill control: " + ControlCommand.describe(m.backfillControl()));
            }
            for (VersionStatus version : m.versions()) {
                out.println("  version " + version.name() + ": " + version.serving().replace('_', ' ') + " ("
                        + version.role() + "); " + (version.liveInstances().isEmpty() ? "no live instance"
                        : version.liveInstances().size() + " live: " + version.liveInstances().stream()
                        .map(LiveInstance::host).collect(Collectors.joining(", "))));
            }
        }
        if (status.liveInstances().isEmpty()) {
            out.println("No application instance sent a heartbeat within the last " + instanceTtlSeconds + " s.");
        } else {
            out.println("Application instances with a heartbeat within the last " + instanceTtlSeconds + " s:");
        }
        status.liveInstances().forEach((version, instances) -> out.println("  version " + version + ": "
                + instances.stream().map(i -> i.host() + " (since " + i.startedAt() + ", last seen " + i.lastSeen()
                + ")").collect(Collectors.joining(", "))));
    }
}
