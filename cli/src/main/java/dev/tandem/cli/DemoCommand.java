package dev.tandem.cli;

import dev.tandem.cli.demo.Demo;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Show Tandem at work on a throwaway database.")
final class DemoCommand extends BaseCommand {
    @Override
    protected int doCall() {
        return Demo.run(out(), err());
    }
}
