package dev.tandem.coordinator.testing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A run of Tandem killed right after one of its steps committed, simulated by throwing from the after-step hook
 * ({@code TandemConfig.afterStep}): the step is recorded as done, and nothing after it has run.
 */
public final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String step;

    public SimulatedCrash(String step) {
        super("simulated crash after " + step);
        this.step = step;
    }

    public String step() {
        return step;
    }

    /** An after-step hook that crashes after {@code target}. */
    public static Consumer<String> after(String target) {
        return step -> {
            if (step.equals(target)) {
                throw new SimulatedCrash(step);
            }
        };
    }

    /**
     * An after-step hook that crashes after every step of one phase it has not seen before, so each run of the phase
     * makes one step more than the last, and {@link #untilDone} reruns it until none is left.
     */
    public static final class EachStep implements Consumer<String> {
        private final String phase;
        private final Set<String> crashedAfter = new LinkedHashSet<>();

        /** @param phase the phase whose steps crash: contract, rollback, ... */
        public EachStep(String phase) {
            this.phase = phase + "/";
        }

        @Override
        public void accept(String step) {
            if (step.startsWith(phase) && crashedAfter.add(step)) {
                throw new SimulatedCrash(step);
            }
        }

        /**
         * Runs {@code phase} again after each crash until it ends; {@code afterCrash} runs after each crash with the
         * step it followed. Returns the steps after which a run crashed, in order.
         */
        public List<String> untilDone(Runnable phase, Consumer<String> afterCrash) {
            while (true) {
                try {
                    phase.run();
                    return List.copyOf(crashedAfter);
                } catch (SimulatedCrash crash) {
                    afterCrash.accept(crash.step());
                }
            }
        }
    }
}
