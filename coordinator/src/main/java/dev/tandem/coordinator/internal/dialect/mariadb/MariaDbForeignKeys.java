package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect.ident;
import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbSql.ONLINE;
import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbSql.alter;
import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbSql.names;
import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbSql.table;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Foreign keys without a table copy. MariaDB adds a foreign key in place (LOCK=NONE) only with
 * {@code foreign_key_checks} off, and then checks no existing row: that is PostgreSQL's NOT VALID. Expand
 * checks the rows itself right after adding the key, with a plain read (the key already guards every new
 * write), and fails with a clear message when one violates it.
 */
final class MariaDbForeignKeys {
    private static final String CHECKS_OFF = "SET SESSION foreign_key_checks = 0";
    private static final String CHECKS_ON = "SET SESSION foreign_key_checks = 1";

    private MariaDbForeignKeys() {
    }

    /** Adds the key to a new, empty table. */
    static List<String> add(TableRef ref, ConstraintDef key) {
        return List.of(CHECKS_OFF, alter(ref) + "ADD CONSTRAINT " + ident(key.name()) + " FOREIGN KEY IF NOT EXISTS "
                + ident(key.name()) + " (" + names(key.columns()) + ") REFERENCES " + table(key.references()) + " ("
                + names(key.referencedColumns()) + ")"
                + (key.onDelete() == null ? "" : " ON DELETE " + key.onDelete()) + ONLINE, CHECKS_ON);
    }

    /** Adds the key to a table with rows, then refuses (SQLSTATE 45000) when a row violates it. */
    static List<String> addUnchecked(TableRef ref, ConstraintDef key) {
        List<String> statements = new ArrayList<>(add(ref, key));
        String child = "`_tandem_child`";
        String parent = "`_tandem_parent`";
        String present = key.columns().stream().map(c -> child + "." + ident(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        String matches = IntStream.range(0, key.columns().size())
                .mapToObj(i -> parent + "." + ident(key.referencedColumns().get(i)) + " = " + child + "."
                        + ident(key.columns().get(i)))
                .collect(Collectors.joining(" AND "));
        String message = "rows of " + ref.name() + " violate foreign key " + key.name() + " (a value of "
                + String.join(", ", key.columns()) + " that " + key.references().name() + " does not have)";
        statements.add("BEGIN NOT ATOMIC\n"
                + "  IF EXISTS (SELECT 1 FROM " + table(ref) + " " + child + " WHERE " + present
                + " AND NOT EXISTS (SELECT 1 FROM " + table(key.references()) + " " + parent + " WHERE " + matches
                + ")) THEN\n"
                + "    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = " + literal(message) + ";\n"
                + "  END IF;\n"
                + "END");
        return statements;
    }

    /**
     * Renames a key by dropping it and adding it again under the new name in one in-place statement: with
     * {@code foreign_key_checks} off no row is checked (they all satisfy the same key already). The statement is
     * built from information_schema, and is a no-op once the old name is gone, so it can be repeated.
     */
    static List<String> rename(TableRef ref, String name, String newName) {
        return restate(ref, name, ref, newName);
    }

    /**
     * As {@link #rename}, or, when {@code target} is another table with the same columns (a table copy), adds the key
     * there under {@code newName} unless it has it, and leaves the original's.
     */
    static List<String> restate(TableRef ref, String name, TableRef target, String newName) {
        if (target.equals(ref)) {
            return restated(ref, name, alter(ref) + "DROP FOREIGN KEY " + ident(name) + ", ADD CONSTRAINT "
                    + ident(newName) + " FOREIGN KEY (", null, "");
        }
        return restated(ref, name, alter(target) + "ADD CONSTRAINT " + ident(newName) + " FOREIGN KEY IF NOT EXISTS "
                + ident(newName) + " (", null, "");
    }

    /**
     * Gives the table a second key like its key {@code name}, under {@code newName}, that refers to {@code referenced}
     * (a copy of the table the key refers to) instead, unless the table has it. No row is checked: the copy has every
     * row the original has. The second key's index is named {@code newName} when MariaDB moves the key's own index to
     * it, which {@link #dropSecond} names back.
     */
    static List<String> addSecond(TableRef ref, String name, TableRef referenced, String newName) {
        return restated(ref, name, alter(ref) + "ADD CONSTRAINT " + ident(newName) + " FOREIGN KEY (", referenced,
                " AND NOT EXISTS (SELECT 1 FROM information_schema.REFERENTIAL_CONSTRAINTS c"
                        + " WHERE c.CONSTRAINT_SCHEMA = " + literal(ref.schema()) + " AND c.TABLE_NAME = "
                        + literal(ref.name())
                        + " AND c.CONSTRAINT_NAME = " + literal(newName) + ")");
    }

    /** Drops the key in place, when the table has it; its index stays. */
    static String drop(TableRef ref, String name) {
        return alter(ref) + "DROP FOREIGN KEY IF EXISTS " + ident(name) + ONLINE;
    }

    /**
     * Drops the second key {@link #addSecond} added, and gives the index MariaDB moved to it the name of the key it
     * came from ({@code name}) back.
     */
    static List<String> dropSecond(TableRef ref, String name, String secondName) {
        List<String> statements = new ArrayList<>(List.of(drop(ref, secondName)));
        String index = "SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " + literal(ref.schema())
                + " AND TABLE_NAME = " + literal(ref.name()) + " AND INDEX_NAME = ";
        statements.addAll(MariaDbSql.prepared("SELECT " + literal(alter(ref) + "RENAME INDEX " + ident(secondName)
                + " TO " + ident(name) + ONLINE) + " FROM DUAL WHERE EXISTS (" + index + literal(secondName)
                + ") AND NOT EXISTS (" + index + literal(name) + ")", "_tandem_rename_index"));
        return statements;
    }

    /**
     * The statement {@code change} begins, completed from information_schema with the key's columns, the table it
     * refers to ({@code referenced}, or the key's own when null) and its rules, then run with
     * {@code foreign_key_checks} off; a no-op once the key is gone, or when {@code unless} (more conditions of the
     * query) fails.
     */
    private static List<String> restated(TableRef ref, String name, String change, TableRef referenced, String unless) {
        String where = " WHERE k.CONSTRAINT_SCHEMA = " + literal(ref.schema()) + " AND k.TABLE_NAME = "
                + literal(ref.name()) + " AND k.CONSTRAINT_NAME = " + literal(name) + unless;
        String table = referenced == null ? quoted("k.REFERENCED_TABLE_SCHEMA") + ", '.', "
                + quoted("k.REFERENCED_TABLE_NAME") : literal(table(referenced));
        String build = "SELECT CONCAT(" + literal(change) + ", GROUP_CONCAT(" + quoted("k.COLUMN_NAME")
                + " ORDER BY k.ORDINAL_POSITION), ') REFERENCES ', " + table + ", ' (', GROUP_CONCAT("
                + quoted("k.REFERENCED_COLUMN_NAME") + " ORDER BY k.ORDINAL_POSITION), ')', " + action("UPDATE")
                + ", " + action("DELETE") + ", " + literal(ONLINE) + ")"
                + " FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r"
                + " ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME"
                + " AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME" + where
                + " GROUP BY k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, r.UPDATE_RULE, r.DELETE_RULE";
        List<String> statements = new ArrayList<>(List.of(CHECKS_OFF));
        statements.addAll(MariaDbSql.prepared(build, "_tandem_rename"));
        statements.add(CHECKS_ON);
        return statements;
    }

    /**
     * Drops an index in place. MariaDB dropped a foreign key's own index when an index led by the key's columns
     * was added (a create_index now rolled back, say), and refuses to drop the last index a key can use: then
     * the same statement gives the key its index back under the key's name, as MariaDB had made it, so the
     * catalog is as before the index was added.
     */
    static List<String> dropIndex(TableRef ref, String index) {
        String schema = literal(ref.schema());
        String table = literal(ref.name());
        String keys = "SELECT CONSTRAINT_NAME AS name, COUNT(*) AS n, GROUP_CONCAT(" + quoted("COLUMN_NAME")
                + " ORDER BY ORDINAL_POSITION) AS cols FROM information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_SCHEMA = "
                + schema + " AND TABLE_NAME = " + table + " AND REFERENCED_TABLE_NAME IS NOT NULL GROUP BY CONSTRAINT_NAME";
        String others = "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " + schema
                + " AND TABLE_NAME = " + table + " AND INDEX_NAME <> " + literal(index);
        String needed = "SELECT CONCAT('ADD INDEX ', " + quoted("k.name") + ", ' (', k.cols, '), ') FROM (" + keys
                + ") k WHERE " + leadingColumns(schema, table, literal(index)) + " = k.cols AND NOT EXISTS (SELECT 1 FROM ("
                + others + ") o WHERE " + leadingColumns(schema, table, "o.INDEX_NAME") + " = k.cols) LIMIT 1";
        String build = "SELECT CONCAT(" + literal(alter(ref)) + ", COALESCE((" + needed + "), ''), "
                + literal("DROP INDEX IF EXISTS " + ident(index) + ONLINE) + ")";
        return MariaDbSql.prepared(build, "_tandem_drop_index");
    }

    /** SQL for the first {@code k.n} columns of the index {@code indexName} names, quoted and joined as k.cols. */
    private static String leadingColumns(String schema, String table, String indexName) {
        return "(SELECT GROUP_CONCAT(" + quoted("s.COLUMN_NAME") + " ORDER BY s.SEQ_IN_INDEX) FROM"
                + " information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = " + schema + " AND s.TABLE_NAME = " + table
                + " AND s.INDEX_NAME = " + indexName + " AND s.SEQ_IN_INDEX <= k.n)";
    }

    /**
     * The key's ON UPDATE or ON DELETE clause. RESTRICT, the default, is left out: MariaDB reports an explicit
     * RESTRICT as NO ACTION, so writing it would change what the catalog shows.
     */
    private static String action(String event) {
        String rule = "r." + event + "_RULE";
        return "IF(" + rule + " = 'RESTRICT', '', CONCAT(' ON " + event + " ', " + rule + "))";
    }

    /** SQL that quotes a name read from information_schema with backticks. */
    private static String quoted(String column) {
        return "CONCAT('`', REPLACE(" + column + ", '`', '``'), '`')";
    }
}
