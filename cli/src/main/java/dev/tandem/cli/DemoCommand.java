package dev.tandem.cli;

import dev.tandem.cli.demo.Demo;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Show Tandem at work on a throwaway database. With --output json the story "
        + "goes to stderr and stdout gets one document: verified, and the problems found.")
final class DemoCommand extends BaseCommand {
    @Override
    protected int doCall() {
        if (!output.json()) {
            return Demo.run(out(), err());
        }
        Demo.Outcome outcome = Demo.play(err(), err());
        Json.print(out(), outcome);
        return outcome.verified() ? ExitCodes.OK : ExitCodes.DATABASE;
    }
}
