package dev.tandem.coordinator.internal.ddl;

import java.util.List;

/**
 * A trigger on {@code table} that carries the writes of one version to another table, for operations that keep
 * a value in two tables while both versions run. {@code columns} of the written row go to {@code toColumns} of
 * {@code to}, pairwise; the first {@code keyColumns} of each list say which row of {@code to} a written row
 * matches.
 *
 * <p>{@link Mode#UPSERT}: the matching row of {@code to} is inserted, or its other columns set; an insert whose
 * carried values are all NULL inserts nothing, and a row whose key is NULL is never carried. {@link Mode#UPDATE}: the matching row's other columns are set, and a
 * deleted row sets them to NULL. Either only when an insert, or an update that changed a carried value.
 *
 * @param name           the trigger's name (and its function's, where it has one)
 * @param functionSchema where a trigger function lives (Tandem's state schema)
 * @param newVersionSchema the new version's schema: writes through it are the new version's
 * @param newVersionWrites true to carry the new version's writes, false the old version's
 * @param before         fires before the write (so the same write's other triggers see its effect), else after
 */
public record CopyTrigger(TableRef table, String name, String functionSchema, String newVersionSchema,
                          boolean newVersionWrites, boolean before, Mode mode, List<String> columns, TableRef to,
                          List<String> toColumns, int keyColumns) {
    public CopyTrigger {
        if (columns.size() != toColumns.size() || keyColumns < 1 || keyColumns > columns.size()) {
            throw new IllegalArgumentException("columns and toColumns pair up; keyColumns counts the first of them");
        }
        if (mode == Mode.UPDATE && keyColumns == columns.size()) {
            throw new IllegalArgumentException("an update sets at least one column past the key");
        }
    }

    public enum Mode { UPSERT, UPDATE }

    /** The written row's columns that find the other table's row. */
    public List<String> key() {
        return columns.subList(0, keyColumns);
    }

    /** The written row's columns whose change is carried: those past the key, or the key when there are none. */
    public List<String> carried() {
        return columns.size() > keyColumns ? columns.subList(keyColumns, columns.size()) : columns;
    }
}
