package dev.tandem.coordinator.internal.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with full jitter, so retrying runs do not line up behind the same blocker. */
public final class Retry {
    private Retry() {
    }

    public static Duration delay(int attempt, Duration base, Duration max) {
        long ceiling = Math.min(max.toMillis(), base.toMillis() * (1L << Math.min(attempt, 20)));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(base.toMillis(), Math.max(base.toMillis(), ceiling) + 1));
    }

    public static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
