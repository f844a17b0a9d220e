package dev.tandem.cli;

import dev.tandem.liquibase.Changelog;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --changelog}: work on a phase-labelled Liquibase changelog instead of a Tandem migration. */
final class ChangelogOption {
    @Option(names = "--changelog", paramLabel = "FILE", description = "a Liquibase changelog (XML, YAML, JSON or "
            + "formatted SQL; its directory is the search path for includes) whose changesets carry the label "
            + "expand, backfill or contract")
    private Path file;

    @Option(names = "--search-path", paramLabel = "DIR", description = "where Liquibase looks for the changelog and "
            + "its includes (default: the changelog's directory); DATABASECHANGELOG records the changelog's path "
            + "relative to it, so use the root your project ran Liquibase from (src/main/resources, say)")
    private Path searchPath;

    /** The changelog named, or null when the command works on a Tandem migration. */
    Path file() {
        return file;
    }

    /** Where Liquibase looks for the changelog, or null for its directory. */
    Path searchPath() {
        return searchPath;
    }

    /** The changelog under its search path; call only when {@link #file()} is not null. */
    Changelog changelog() {
        return searchPath == null ? Changelog.file(file) : Changelog.file(file, searchPath);
    }
}
