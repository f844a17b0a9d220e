package dev.tandem.cli;

import dev.tandem.liquibase.Changelog;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

@Command(name = "baseline", description = "Adopt a database whose schema already holds a Liquibase changelog's "
        + "history (made by hand, say): mark the changesets without a phase label as run, without running them.")
final class BaselineCommand extends TandemCommand {
    @Mixin
    private ChangelogOption changelogOption;

    @Override
    protected int doCall() {
        if (changelogOption.file() == null) {
            throw new ParameterException(spec.commandLine(), "baseline needs --changelog FILE");
        }
        Changelog changelog = changelogOption.changelog();
        return withTandem(tandem -> {
            List<String> marked = liquibase(tandem).baseline(changelog);
            if (output.json()) {
                Json.print(out(), new BaselineReport(changelog.path(), marked));
            } else {
                out().println(changelog.path() + ": baseline marked " + marked.size() + " changeset(s) as run"
                        + (marked.isEmpty() ? "" : ": " + String.join(", ", marked)));
            }
            return ExitCodes.OK;
        });
    }

    private record BaselineReport(String changelog, List<String> marked) {
    }
}
