package dev.tandem.coordinator;

import java.util.List;

/**
 * What {@link Tandem#verify(String, long)} found in one backfilled table.
 *
 * @param pendingKeys   the first few keys of rows that still need backfill (JSON arrays)
 * @param differingKeys the first few keys of rows whose target differs from up(row)
 */
public record TableCheck(String table, long rowsChecked, long pending, long differing, List<String> pendingKeys,
                         List<String> differingKeys) {
    public boolean ok() {
        return pending == 0 && differing == 0;
    }
}
