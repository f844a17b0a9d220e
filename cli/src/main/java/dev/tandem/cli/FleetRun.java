package dev.tandem.cli;

import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.fleet.Fleet;
import dev.tandem.coordinator.fleet.FleetParser;
import dev.tandem.coordinator.fleet.FleetRunner;
import dev.tandem.coordinator.fleet.TargetResult;
import dev.tandem.coordinator.fleet.TargetResult.Outcome;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.LiveInstance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --fleet} form of the phase and status commands: the work on every target of a fleet file, wave by
 * wave, with one report (text lines as targets end and a summary, or one JSON document) and the exit code of the
 * first target that failed, in file order.
 */
final class FleetRun {
    /** What rollback on a fleet reports for a target the migration never reached. */
    static final String NOTHING_TO_ROLL_BACK = "nothing to roll back: not expanded here";
    private static final String DONE = "done";
    private static final String ALREADY_DONE = "already_done";
    private static final String FAILED = "failed";
    private static final String NOT_STARTED = "not_started";

    private final TandemCommand command;
    private final FleetRunner runner;

    FleetRun(TandemCommand command, Path file) {
        this.command = command;
        for (String option : List.of("--url", "--user", "--password-prompt")) {
            if (command.spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new ParameterException(command.spec.commandLine(), option + " cannot be used with --fleet: "
                        + "the fleet file names each target's URL and credentials");
            }
        }
        command.engine.check(command::settings);
        Fleet fleet = new FleetParser().parse(file);
        this.runner = FleetRunner.perTarget(fleet, command.connections(), (target, database) -> command.engine.config(
                database, target.schema(), config -> command.watched(command.settings(config), database, target)));
    }

    /**
     * Refuses contract while any target still has live instances of an old version, naming them; each target's
     * contract checks its own instances again.
     */
    void requireNoOldInstances(Function<Tandem, String> migration) {
        List<String> live = runner.liveOldInstances(migration);
        if (!live.isEmpty()) {
            throw new StateConflictException(runner.fleet().source() + ": contract refused on the whole fleet: "
                    + live.size() + " live instance(s) of an old version: " + String.join("; ", live)
                    + ". Stop them (deploy the new version there) and contract again, or --force if they are gone "
                    + "for good");
        }
    }

    /** Runs a phase on the fleet; a target whose state shows the phase done reports it "already done". */
    int phase(boolean keepGoing, Function<Tandem, PhaseResult> work) {
        String phase = command.spec.name();
        PrintWriter out = command.out();
        List<TargetResult<PhaseResult>> results = runner.run(work,
                keepGoing ? FleetRunner.Policy.KEEP_GOING : FleetRunner.Policy.STOP, result -> {
                    if (!command.output.json()) {
                        out.println(line(result));
                        out.flush();
                    }
                });
        List<PhaseTarget> targets = results.stream().map(FleetRun::phaseTarget).toList();
        Map<String, Long> counts = targets.stream()
                .collect(Collectors.groupingBy(PhaseTarget::result, TreeMap::new, Collectors.counting()));
        if (command.output.json()) {
            Json.print(out, new PhaseReport(phase, runner.fleet().source(), targets, counts));
        } else {
            out.println(phase + " on " + targets.size() + " targets of " + runner.fleet().source() + ": "
                    + counts.entrySet().stream().map(e -> e.getValue() + " " + words(e.getKey()))
                    .collect(Collectors.joining(", ")));
            if (counts.containsKey(NOT_STARTED)) {
                out.println("stopped at the first failure; run the same command again to continue (targets that "
                        + "finished report " + words(ALREADY_DONE) + ")");
            }
            targets.stream().filter(t -> t.error() != null).findFirst().ifPresent(first -> {
                command.err().println(command.spec.qualifiedName() + ": " + counts.get(FAILED) + " of "
                        + targets.size() + " targets failed; the first: " + first.target() + ": "
                        + first.error().message());
            });
        }
        return exitCode(results);
    }

    /** Every target's migration (in flight, else the latest), phase, backfill and live versions, and a summary. */
    int status() {
        List<TargetResult<StatusTarget>> results = runner.run(tandem -> {
            Optional<String> current = tandem.currentMigration();
            Optional<MigrationStatus> migration = current.flatMap(name -> tandem.status().stream()
                    .filter(m -> m.name().equals(name)).findFirst());
            Map<String, Integer> live = new TreeMap<>();
            for (Map.Entry<String, List<LiveInstance>> version : tandem.liveInstances().entrySet()) {
                live.put(version.getKey(), version.getValue().size());
            }
            return new StatusTarget(null, null, current.orElse(null),
                    migration.map(MigrationStatus::phase).orElse("none"),
                    migration.map(MigrationStatus::backfillComplete).orElse(null),
                    migration.map(MigrationStatus::backfill).orElse(List.of()), live, null);
        }, FleetRunner.Policy.ALL, result -> { });
        List<StatusTarget> targets = new ArrayList<>();
        for (TargetResult<StatusTarget> result : results) {
            String name = result.target().name();
            String wave = result.target().wave();
            StatusTarget value = result.value();
            targets.add(value != null ? new StatusTarget(name, wave, value.migration(), value.phase(),
                    value.backfillComplete(), value.backfill(), value.liveVersions(), null)
                    : new StatusTarget(name, wave, null, FAILED, null, List.of(), Map.of(), failure(result)));
        }
        Map<String, Long> phases = targets.stream().filter(t -> t.error() == null)
                .collect(Collectors.groupingBy(StatusTarget::phase, TreeMap::new, Collectors.counting()));
        long failed = targets.stream().filter(t -> t.error() != null).count();
        if (command.output.json()) {
            Json.print(command.out(), new FleetStatus(runner.fleet().source(), targets, phases, failed));
        } else {
            printStatus(targets, phases, failed, command.out());
        }
        return exitCode(results);
    }

    private static void printStatus(List<StatusTarget> targets, Map<String, Long> phases, long failed,
                                    PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TARGET", "WAVE", "MIGRATION", "PHASE", "BACKFILL", "LIVE VERSIONS"});
        for (StatusTarget t : targets) {
            rows.add(new String[] {t.target(), t.wave(), t.migration() == null ? "-" : t.migration(), t.phase(),
                    backfill(t), t.error() != null ? t.error().message()
                    : t.liveVersions().isEmpty() ? "-" : t.liveVersions().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println(targets.size() + " targets: " + (phases.isEmpty() ? "none read" : phases.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))) + "; " + failed
                + " failed");
    }

    private static String backfill(StatusTarget t) {
        if (t.backfill().isEmpty()) {
            return t.backfillComplete() == null ? "-" : t.backfillComplete() ? "done" : "not started";
        }
        long rows = t.backfill().stream().mapToLong(BackfillProgress::rowsDone).sum();
        return rows + " rows, " + (Boolean.TRUE.equals(t.backfillComplete()) ? "done" : "not done");
    }

    private static String line(TargetResult<PhaseResult> result) {
        String target = result.target().wave() + "/" + result.target().name() + ": ";
        return switch (result.outcome()) {
            case NOT_STARTED -> target + words(NOT_STARTED) + " (a failure stopped the run)";
            case FAILED -> target + "FAILED (exit " + ExitCodes.of(result.failure()) + "): "
                    + failure(result).message();
            case DONE -> {
                PhaseResult r = result.value();
                String amount = r.rows() > 0 ? r.rows() + " rows" : r.statements() + " statements";
                yield target + (alreadyDone(r) ? words(ALREADY_DONE) + " (" + r.outcome() + ")"
                        : r.outcome() + " (" + amount + ")") + "; " + r.migration() + " " + r.phase();
            }
        };
    }

    /**
     * A phase that found its work done: Tandem says "already ...", backfill found contract had run, or rollback
     * found nothing expanded.
     */
    private static boolean alreadyDone(PhaseResult result) {
        return result.outcome().startsWith("already") || result.outcome().startsWith("nothing to backfill: contract")
                || result.outcome().equals(NOTHING_TO_ROLL_BACK);
    }

    private static String words(String result) {
        return result.replace('_', ' ');
    }

    private static PhaseTarget phaseTarget(TargetResult<PhaseResult> result) {
        String target = result.target().name();
        String wave = result.target().wave();
        PhaseResult r = result.value();
        return switch (result.outcome()) {
            case NOT_STARTED -> new PhaseTarget(target, wave, NOT_STARTED, null, null, null, 0, 0, null);
            case FAILED -> new PhaseTarget(target, wave, FAILED, null, null, null, 0, 0, failure(result));
            case DONE -> new PhaseTarget(target, wave, alreadyDone(r) ? ALREADY_DONE : DONE, r.migration(),
                    r.phase(), r.outcome(), r.statements(), r.rows(), null);
        };
    }

    private static Failure failure(TargetResult<?> result) {
        RuntimeException e = result.failure();
        String message = e instanceof TandemException ? e.getMessage() : "internal error: " + e;
        return new Failure(ExitCodes.of(e), Secrets.mask(message));
    }

    private static int exitCode(List<? extends TargetResult<?>> results) {
        return results.stream().filter(r -> r.outcome() == Outcome.FAILED).findFirst()
                .map(r -> ExitCodes.of(r.failure())).orElse(ExitCodes.OK);
    }

    private record Failure(int code, String message) {
    }

    /** @param result done, already_done, failed or not_started */
    private record PhaseTarget(String target, String wave, String result, String migration, String phase,
                               String outcome, int statements, long rows, Failure error) {
    }

    private record PhaseReport(String command, String fleet, List<PhaseTarget> targets, Map<String, Long> summary) {
    }

    private record StatusTarget(String target, String wave, String migration, String phase, Boolean backfillComplete,
                                List<BackfillProgress> backfill, Map<String, Integer> liveVersions, Failure error) {
    }

    private record FleetStatus(String fleet, List<StatusTarget> targets, Map<String, Long> phases, long failed) {
    }
}
