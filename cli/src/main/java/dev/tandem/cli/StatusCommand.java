package dev.tandem.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.liquibase.ChangelogStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", description = "List the migrations recorded for the schema, oldest first: phase, "
        + "version schema and backfill progress; and the application instances alive per version. With "
        + "--changelog: the changelog's changesets, each with its phase label and whether it ran, and Tandem's phase.")
final class StatusCommand extends TandemCommand {
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
                        + (table.estimate() > 0 ? " of about " + table.estimate() : "")
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
