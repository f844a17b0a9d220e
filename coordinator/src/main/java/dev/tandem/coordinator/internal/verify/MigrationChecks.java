package dev.tandem.coordinator.internal.verify;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationDirectory;
import dev.tandem.coordinator.migration.MigrationFiles;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.verify.Directive;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.LintResult;
import dev.tandem.coordinator.verify.Rule;
import dev.tandem.coordinator.verify.ScratchServer;
import dev.tandem.coordinator.verify.Verification;
import dev.tandem.coordinator.verify.Verifier;
import dev.tandem.coordinator.verify.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link Verification#verify}: lints every file, then (with a scratch server) runs each migration's round trip,
 * each on top of the ones before it unless isolated. Migrations the pending-on database records are skipped,
 * and applied before the others like the already deployed ones.
 */
public final class MigrationChecks {
    private final Verification verification;
    private final List<VerifyReport.Check> checks = new ArrayList<>();
    private final List<Directive> disabled = new ArrayList<>();
    private final List<String> alreadyApplied = new ArrayList<>();

    private MigrationChecks(Verification verification) {
        this.verification = verification;
    }

    public static VerifyReport run(Verification verification, List<Path> paths) {
        return new MigrationChecks(verification).verify(paths);
    }

    private VerifyReport verify(List<Path> paths) {
        List<Path> files = files(paths);
        List<Migration> migrations = new ArrayList<>();
        Map<String, String> recorded = verification.pendingOn() == null ? Map.of()
                : RecordedMigrations.on(verification.pendingOn());
        List<Migration> recordedFiles = new ArrayList<>();
        for (Path file : files) {
            String name = VerifyInputs.display(file);
            Optional<Migration> known = recorded.isEmpty() ? Optional.empty() : parsed(file)
                    .filter(migration -> recorded.containsKey(migration.name()));
            if (known.isPresent()) {
                recordedFiles.add(known.get());
                alreadyApplied.add(name);
                String checksum = recorded.get(known.get().name());
                if (!checksum.equals(known.get().checksum())) {
                    checks.add(new VerifyReport.Check(name, VerifyReport.Kind.LINT, List.of(Finding.of(
                            Rule.APPLIED_FILE_CHANGED, name, 0, null, "migration '" + known.get().name()
                                    + "' was applied from a file with checksum " + checksum + ", this one has "
                                    + known.get().checksum()))));
                }
                continue;
            }
            byte[] bytes = VerifyInputs.read(file);
            LintResult lint = Verifier.lint(name, bytes, verification.database());
            checks.add(new VerifyReport.Check(name, VerifyReport.Kind.LINT, lint.findings(), lint.databases()));
            disabled.addAll(lint.directives());
            boolean valid = lint.findings().stream().noneMatch(f -> f.ruleId().equals(Rule.INVALID_MIGRATION.id()));
            if (valid && !isScript(file)) {
                migrations.add(new MigrationParser().parse(name, bytes));
            }
        }
        if (verification.scratchServer() != null && !migrations.isEmpty()) {
            roundTrips(recordedFiles, migrations);
        }
        return new VerifyReport(checks, disabled, alreadyApplied);
    }

    private void roundTrips(List<Migration> recordedFiles, List<Migration> migrations) {
        AppStatements old = VerifyInputs.oldVersion(verification);
        AppStatements next = VerifyInputs.newVersion(verification);
        String setup = VerifyInputs.schemaSql(verification);
        List<Migration> deployed = new ArrayList<>(verification.applied().stream().map(MigrationFiles::read).toList());
        deployed.addAll(recordedFiles);
        try (ScratchServer server = verification.scratchServer().get()) {
            RoundTrip roundTrip = null;
            for (Migration migration : migrations) {
                if (roundTrip == null || verification.isolated()) {
                    roundTrip = new RoundTrip(server.newDatabase());
                    roundTrip.setup(verification.schemaSql() == null ? ""
                            : VerifyInputs.display(verification.schemaSql()), setup);
                    deployed.forEach(roundTrip::apply);
                }
                List<Finding> findings = roundTrip.verify(migration, old, next);
                if (setup.isEmpty() && deployed.isEmpty()) {
                    requireNoMissingSchema(migration, findings);
                }
                checks.add(new VerifyReport.Check(migration.source(), VerifyReport.Kind.DATABASE, findings));
            }
        }
    }

    /**
     * On an empty scratch database a migration that changes existing tables fails for want of them: that is a
     * missing schema SQL, a setup error, not a finding about the migration.
     */
    private static void requireNoMissingSchema(Migration migration, List<Finding> findings) {
        for (Finding finding : findings) {
            if (finding.ruleId().equals(Rule.PHASE_FAILED.id()) && finding.message().contains(" does not exist")) {
                throw new InvalidMigrationException(migration.source() + ": verify ran it on an empty scratch "
                        + "database, where it fails (" + finding.message().replaceFirst(": " + Pattern.quote(
                        Rule.PHASE_FAILED.problem()) + "$", "") + "); give the schema the migrations start from "
                        + "with --schema-sql FILE (a schema-only dump), or the migrations before it with --applied");
            }
        }
    }

    private static boolean isScript(Path file) {
        return file.toString().toLowerCase(Locale.ROOT).endsWith(".sql");
    }

    /** The migration in {@code file}, or empty for a script or a file that does not parse (lint reports it). */
    private static Optional<Migration> parsed(Path file) {
        if (isScript(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MigrationParser().parse(VerifyInputs.display(file), VerifyInputs.read(file)));
        } catch (InvalidMigrationException e) {
            return Optional.empty();
        }
    }

    /**
     * A directory's files as {@code migrate up} applies them ({@link MigrationDirectory}: file name order, or as their
     * {@code after:} keys say), its plain scripts first when that differs from name order; in name order while a
     * migration file does not parse (lint reports it).
     */
    private static List<Path> inDirectoryOrder(Path directory, List<Path> inNameOrder) {
        Map<String, Path> migrationFiles = new LinkedHashMap<>();
        inNameOrder.stream().filter(file -> !isScript(file))
                .forEach(file -> migrationFiles.put(VerifyInputs.display(file), file));
        List<Migration> migrations = new ArrayList<>();
        for (Path file : migrationFiles.values()) {
            Optional<Migration> migration = parsed(file);
            if (migration.isEmpty()) {
                return inNameOrder;
            }
            migrations.add(migration.get());
        }
        List<Path> migrationsInOrder = MigrationDirectory.of(directory, migrations).migrations().stream()
                .map(migration -> migrationFiles.get(migration.source())).toList();
        if (migrationsInOrder.equals(List.copyOf(migrationFiles.values()))) {
            return inNameOrder;
        }
        List<Path> ordered = new ArrayList<>(inNameOrder.stream().filter(MigrationChecks::isScript).toList());
        ordered.addAll(migrationsInOrder);
        return ordered;
    }

    private static List<Path> files(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    files.addAll(inDirectoryOrder(path, listing.filter(Files::isRegularFile)
                            .filter(p -> Verifier.accepts(p.getFileName().toString())).sorted().toList()));
                } catch (IOException e) {
                    throw new InvalidMigrationException(path + ": cannot be read (" + e.getMessage() + ")", e);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new InvalidMigrationException(path + ": no such file or directory");
            }
        }
        if (files.isEmpty()) {
            throw new InvalidMigrationException(paths + ": no migration files (.yaml, .yml, .json, .sql)");
        }
        return files;
    }
}
