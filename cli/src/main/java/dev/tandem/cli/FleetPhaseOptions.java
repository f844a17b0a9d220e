package dev.tandem.cli;

import picocli.CommandLine.Option;

/** {@code --fleet FILE} of a phase command, and what a failing target does to the others. */
final class FleetPhaseOptions extends FleetOption {
    @Option(names = "--keep-going", description = "with --fleet: a failing target does not stop its wave; a later "
            + "wave still waits until every target of the earlier ones has finished the phase")
    private boolean keepGoing;

    boolean keepGoing() {
        return keepGoing;
    }
}
