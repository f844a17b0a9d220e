package dev.tandem.coordinator.fleet;

import java.util.List;

/**
 * The databases one migration goes to, in waves: every target of a wave finishes a phase before the next wave
 * starts it, at most {@code concurrency} targets at a time.
 *
 * @param source the fleet file's name, for messages
 */
public record Fleet(String source, int concurrency, List<Wave> waves) {
    public Fleet {
        waves = List.copyOf(waves);
    }

    /** A group of targets that run a phase together, such as the canary tenants. */
    public record Wave(String name, List<FleetTarget> targets) {
        public Wave {
            targets = List.copyOf(targets);
        }
    }

    /** Every target, wave by wave, in file order. */
    public List<FleetTarget> targets() {
        return waves.stream().flatMap(w -> w.targets().stream()).toList();
    }
}
