package dev.tandem.coordinator.verify;

import java.util.List;

/**
 * The statements of one application version for the compatibility check: {@code .sql} files, run as they are
 * (each rolled back), and pg_stat_statements captures, prepared only (their {@code $n} have no values).
 */
public record AppStatements(List<QueryFile> files, List<Capture> captures) {
    public static final AppStatements NONE = new AppStatements(List.of(), List.of());

    public AppStatements {
        files = List.copyOf(files);
        captures = List.copyOf(captures);
    }

    public static AppStatements of(List<QueryFile> files) {
        return new AppStatements(files, List.of());
    }
}
