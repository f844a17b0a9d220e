package dev.tandem.coordinator.migration;

/**
 * One operation of a {@link Migration}, as {@link MigrationParser} read it from the file. What each kind does to
 * the schema is Tandem's own business, not API.
 */
public interface MigrationOperation {
    /** The name of this operation in migration files, e.g. {@code add_column}. */
    String kind();
}
