package dev.tandem.dualwrite.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One meter name with a value per combination of tag values, kept here and shown by every registry bound to it,
 * also those bound after the value appeared.
 */
final class Series {
    private final String name;
    private final String description;
    private final List<String> tagKeys;
    private final boolean counter;
    private final ConcurrentMap<List<String>, AtomicLong> values = new ConcurrentHashMap<>();

    private Series(String name, String description, boolean counter, String... tagKeys) {
        this.name = name;
        this.description = description;
        this.counter = counter;
        this.tagKeys = List.of(tagKeys);
    }

    static Series counter(String name, String description, String... tagKeys) {
        return new Series(name, description, true, tagKeys);
    }

    static Series gauge(String name, String description, String... tagKeys) {
        return new Series(name, description, false, tagKeys);
    }

    /** The value of these tag values, registered with each of {@code registries} when it is new. */
    AtomicLong value(List<MeterRegistry> registries, String... tagValues) {
        List<String> key = Arrays.asList(tagValues);
        AtomicLong known = values.get(key);
        if (known != null) {
            return known;
        }
        return values.computeIfAbsent(List.copyOf(key), k -> {
            AtomicLong value = new AtomicLong();
            registries.forEach(r -> register(r, k, value));
            return value;
        });
    }

    void bindTo(MeterRegistry registry) {
        values.forEach((key, value) -> register(registry, key, value));
    }

    private void register(MeterRegistry registry, List<String> tagValues, AtomicLong value) {
        Tags tags = Tags.empty();
        for (int i = 0; i < tagKeys.size(); i++) {
            tags = tags.and(tagKeys.get(i), tagValues.get(i));
        }
        if (counter) {
            FunctionCounter.builder(name, value, AtomicLong::doubleValue).description(description).tags(tags)
                    .register(registry);
        } else {
            Gauge.builder(name, value, AtomicLong::doubleValue).description(description).tags(tags).register(registry);
        }
    }
}
