package dev.tandem.dualwrite.verify;

import java.util.List;

/**
 * What a comparison found.
 *
 * @param compared how many keys either shape has
 * @param drifted  how many of them differ
 * @param first    the first of those that differ, by key, at most as many as asked for
 */
public record DriftReport(long compared, long drifted, List<Drift> first) {
    public DriftReport {
        first = List.copyOf(first);
    }

    public boolean clean() {
        return drifted == 0;
    }
}
