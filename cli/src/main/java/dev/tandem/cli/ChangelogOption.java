package dev.tandem.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --changelog}: run one phase of a phase-labelled Liquibase changelog instead of a Tandem migration. */
final class ChangelogOption {
    @Option(names = "--changelog", paramLabel = "FILE", description = "a Liquibase changelog (XML, YAML, JSON or "
            + "formatted SQL; its directory is the search path for includes) whose changesets carry the label "
            + "expand, backfill or contract: run this phase's changesets")
    private Path file;

    /** The changelog named, or null when the command works on a Tandem migration. */
    Path file() {
        return file;
    }
}
