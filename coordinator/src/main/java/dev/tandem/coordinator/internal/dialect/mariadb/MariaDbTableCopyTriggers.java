package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect.ident;
import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbSql.table;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.SyncTrigger;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.Template;
import dev.tandem.coordinator.internal.schema.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders {@link Ddl.TableCopyTriggers}: AFTER INSERT, UPDATE and DELETE triggers on the original table that write the
 * old version's rows into the copy through {@code up}, and the same on the copy that write the new version's rows
 * (made through its views, which select from the copy) into the original through {@code down}. The copy's come
 * once the backfill has filled it: until then the new version's views refuse every statement, and no trigger fires
 * for the rows the backfill copies (an AFTER trigger that returns at once still about doubles a copy's cost).
 *
 * <p>Each trigger writes the other table, whose trigger must then stay out: MariaDB refuses a statement that writes a
 * table the statement that fired it uses (error 1442) when it runs, not when it is compiled, so the writing trigger
 * sets {@link #COPYING} to the statement's start time ({@code NOW(6)}, the same in every trigger the statement fires)
 * around its write, and the other table's trigger does nothing while it holds that time. A statement that failed
 * inside the write (a deadlock ends it without running any handler) leaves an older time behind, which no later
 * statement of the session mistakes for its own. The copy's triggers also stay out of the backfill's way
 * ({@link MariaDbDialect#BACKFILL_VARIABLE}); they come only once it is done.
 *
 * <p>An update sets each column of the other table only when its value changed, so a write that touches other
 * columns never overwrites what the other version wrote; an update of a row the other table does not have yet (the
 * backfill has not reached it) inserts it whole. An insert is a plain insert: a key the other table already has is a
 * row of the other version's, and the statement is refused rather than overwrite it.
 *
 * <p>The two tables count AUTO_INCREMENT keys apart, so two inserts of the two versions could take one key at the same
 * moment. Where the key allows ({@link Ddl.TableCopyTriggers#generatedKey()}), a BEFORE INSERT trigger on the copy
 * takes a new-version insert's key from the original instead: it inserts the row into the original first, leaving
 * the key out, and gives the copy's row the key the original's counter handed out ({@code LAST_INSERT_ID()}); the
 * copy's AFTER INSERT trigger then knows the row by {@link #KEYED} and leaves it. Every key then comes from one
 * counter. The server reports that key to the client as the insert's (the value the row's AUTO_INCREMENT column
 * holds), as drivers' generated keys read it for a one-row insert. A duplicate in the original of another unique key
 * leaves the copy to take a key of its own, so that {@code INSERT IGNORE} and {@code ON DUPLICATE KEY UPDATE} act on
 * the copy's row as they would.
 */
final class MariaDbTableCopyTriggers {
    /** Set while a copy trigger writes the other table. */
    static final String COPYING = "@tandem_copying";
    /** The statement's time and the key of the row the copy's BEFORE INSERT trigger wrote into the original. */
    static final String KEYED = "@tandem_keyed";

    private static final String BODY = """
            BEGIN
              IF NOT ({copying} <=> NOW(6)){notBackfill} THEN
                SET {copying} = NOW(6);
            {write}    SET {copying} = NULL;
              END IF;
            END""";
    private static final String KEY_FROM_ORIGINAL = """
            BEGIN
              DECLARE taken BOOL DEFAULT TRUE;
              DECLARE CONTINUE HANDLER FOR 1062 SET taken = FALSE;
              IF NOT ({copying} <=> NOW(6)) AND {backfill} IS NULL AND IFNULL(NEW.{key}, 0) = 0 THEN
                SET {copying} = NOW(6);
                {insert};
                SET {copying} = NULL;
                IF taken THEN
                  SET NEW.{key} = LAST_INSERT_ID();
                  SET {keyed} = CONCAT(NOW(6), ' ', NEW.{key});
                END IF;
              END IF;
            END""";
    private static final String FENCE = """
            BEGIN
              IF NOT ({copying} <=> NOW(6)) THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {message};
              END IF;
            END""";

    private MariaDbTableCopyTriggers() {
    }

    static List<String> render(Ddl.TableCopyTriggers s) {
        return switch (s.step()) {
            case CREATE -> create(s, false);
            case CREATE_COPY -> create(s, true);
            case FENCE -> {
                String fence = Template.fill(FENCE, Map.of("copying", COPYING, "message",
                        literal("Tandem contract: the old version can no longer write this table")));
                List<String> all = new ArrayList<>();
                for (String event : List.of("INSERT", "UPDATE", "DELETE")) {
                    all.add(trigger(s, false, event) + fence);
                }
                all.addAll(drop(s, true));
                yield all;
            }
            case DROP -> drop(s, false);
        };
    }

    /** The triggers on the copy ({@code down}: they write the original) or on the original. */
    private static List<String> create(Ddl.TableCopyTriggers s, boolean down) {
        SyncTrigger sync = s.sync();
        List<SyncTrigger.Rule> rules = down ? sync.down() : sync.up();
        TableRef into = down ? sync.table() : s.copy();
        String insert = "    " + insert(sync, rules, down, into);
        String changed = rules.stream().map(r -> ident(r.targetColumn()) + " = IF(NOT ("
                + MariaDbSyncTriggers.value(sync, r, down, "NEW") + " <=> " + MariaDbSyncTriggers.value(sync, r, down,
                "OLD") + "), VALUE(" + ident(r.targetColumn()) + "), " + ident(r.targetColumn()) + ")")
                .collect(Collectors.joining(", "));
        String sameKey = s.key().stream().map(k -> "NEW." + ident(k) + " <=> OLD." + ident(k))
                .collect(Collectors.joining(" AND "));
        String oldRow = s.key().stream().map(k -> ident(k) + " <=> OLD." + ident(k))
                .collect(Collectors.joining(" AND "));
        String notBackfill = down ? " AND " + MariaDbDialect.BACKFILL_VARIABLE + " IS NULL" : "";
        // the insert triggers last: the backfill leaves a row the other table has as it is, so once an insert
        // trigger puts a row there, the triggers that follow its updates and its delete must be in place already
        List<String> triggers = new ArrayList<>(List.of(
                trigger(s, down, "DELETE") + body(notBackfill, "    DELETE FROM " + table(into) + " WHERE " + oldRow
                        + ";\n"),
                trigger(s, down, "UPDATE") + body(notBackfill,
                        "    IF NOT (" + sameKey + ") THEN DELETE FROM " + table(into) + " WHERE " + oldRow + "; END IF;\n"
                                + insert + " ON DUPLICATE KEY UPDATE " + changed + ";\n")));
        String notKeyed = "";
        if (down && s.generatedKey() != null) {
            String key = ident(s.generatedKey());
            List<SyncTrigger.Rule> others = rules.stream().filter(r -> !r.targetColumn().equals(s.generatedKey()))
                    .toList();
            triggers.add("CREATE OR REPLACE TRIGGER " + name(s, true, "KEY") + " BEFORE INSERT ON " + table(s.copy())
                    + " FOR EACH ROW\n" + Template.fill(KEY_FROM_ORIGINAL, Map.of("copying", COPYING, "keyed", KEYED,
                    "backfill", MariaDbDialect.BACKFILL_VARIABLE, "key", key, "insert",
                    insert(sync, others, true, into))));
            notKeyed = " AND NOT (" + KEYED + " <=> CONCAT(NOW(6), ' ', NEW." + key + "))";
        }
        triggers.add(trigger(s, down, "INSERT") + body(notBackfill + notKeyed, insert + ";\n"));
        return triggers;
    }

    /** The row {@code NEW} into {@code into}, each of {@code rules}' columns given its value. */
    private static String insert(SyncTrigger sync, List<SyncTrigger.Rule> rules, boolean down, TableRef into) {
        return "INSERT INTO " + table(into) + " (" + rules.stream().map(r -> ident(r.targetColumn()))
                .collect(Collectors.joining(", ")) + ") VALUES (" + rules.stream()
                .map(r -> MariaDbSyncTriggers.value(sync, r, down, "NEW")).collect(Collectors.joining(", ")) + ")";
    }

    private static String body(String notBackfill, String write) {
        return Template.fill(BODY, Map.of("copying", COPYING, "notBackfill", notBackfill, "write", write));
    }

    private static String trigger(Ddl.TableCopyTriggers s, boolean onCopy, String event) {
        TableRef on = onCopy ? s.copy() : s.sync().table();
        return "CREATE OR REPLACE TRIGGER " + name(s, onCopy, event) + " AFTER " + event + " ON " + table(on)
                + " FOR EACH ROW\n";
    }

    private static List<String> drop(Ddl.TableCopyTriggers s, boolean onCopy) {
        List<String> events = onCopy && s.generatedKey() != null ? List.of("KEY", "INSERT", "UPDATE", "DELETE")
                : List.of("INSERT", "UPDATE", "DELETE");
        return events.stream().map(event -> "DROP TRIGGER IF EXISTS " + name(s, onCopy, event)).toList();
    }

    /** Triggers live in their table's database; names are unique per database. */
    private static String name(Ddl.TableCopyTriggers s, boolean onCopy, String event) {
        String suffix = (onCopy ? "_copy_" : "_") + event.toLowerCase(Locale.ROOT);
        return table(new TableRef(s.sync().table().schema(), Names.bounded(s.sync().name() + suffix)));
    }
}
