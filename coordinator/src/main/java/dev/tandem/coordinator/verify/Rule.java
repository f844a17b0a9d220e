package dev.tandem.coordinator.verify;

import java.util.Arrays;
import java.util.Optional;

/** Every check {@code migrate verify} makes: an id, a severity, what it finds and the safe alternative. */
public enum Rule {
    BAD_DIRECTIVE("TDM001", Severity.ERROR, "a tandem:disable directive without a known rule id or a reason",
            "write '# tandem:disable TDM101 reason: why this is safe here' (use '--' in .sql files)"),
    INVALID_MIGRATION("TDM002", Severity.ERROR, "the file is not a valid migration",
            "fix the file; 'migrate plan FILE' shows what Tandem reads from it"),
    APPLIED_FILE_CHANGED("TDM003", Severity.ERROR,
            "the file changed since the --pending-on database applied it; migrate refuses it",
            "restore the file as it was applied, and write a new migration for the change"),
    INDEX_NOT_CONCURRENT("TDM101", Severity.ERROR,
            "CREATE INDEX without CONCURRENTLY blocks writes to the table for the whole build",
            "use a create_index operation (built CONCURRENTLY outside the phase's transaction), or "
                    + "CREATE INDEX CONCURRENTLY in a script that runs outside a transaction"),
    CONSTRAINT_VALIDATED("TDM102", Severity.ERROR,
            "ADD CONSTRAINT ... CHECK without NOT VALID scans the table under an ACCESS EXCLUSIVE lock",
            "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later step (create_constraint does both)"),
    FOREIGN_KEY_VALIDATED("TDM103", Severity.ERROR,
            "a foreign key without NOT VALID scans the table and locks both tables against writes",
            "add the foreign key NOT VALID, then VALIDATE CONSTRAINT later (create_constraint or add_column "
                    + "'references' do both)"),
    UNIQUE_WITHOUT_INDEX("TDM104", Severity.ERROR,
            "a PRIMARY KEY or UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock",
            "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE/PRIMARY KEY USING INDEX "
                    + "(create_constraint and add_column 'unique' do this)"),
    SET_NOT_NULL("TDM105", Severity.ERROR,
            "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
            "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (no scan); alter_column "
                    + "'nullable: false' does this"),
    COLUMN_TYPE_IN_PLACE("TDM106", Severity.ERROR,
            "ALTER COLUMN ... TYPE rewrites the table (or at least scans it) under an ACCESS EXCLUSIVE lock, "
                    + "and breaks the old version's reads and writes",
            "use an alter_column operation with 'type', 'up' and 'down': a shadow column, backfilled in batches"),
    VOLATILE_DEFAULT("TDM107", Severity.ERROR,
            "ADD COLUMN with a volatile default (or serial, or a stored generated column) rewrites the table "
                    + "under an ACCESS EXCLUSIVE lock",
            "add the column without the default, SET DEFAULT separately and backfill existing rows in batches "
                    + "(add_column with a non-constant default does this)"),
    RENAME_IN_EXPAND("TDM108", Severity.ERROR,
            "renaming a table or column before the old version is gone breaks every old-version query that "
                    + "names it",
            "use a rename_column / rename_table operation: the new name shows in the new version's view at "
                    + "expand, the real rename happens at contract"),
    DROP_IN_EXPAND("TDM109", Severity.ERROR,
            "dropping a table or column before the old version is gone breaks every old-version query that "
                    + "reads it, and cannot be rolled back",
            "use a drop_column / drop_table operation (dropped at contract), or put the statement in a "
                    + "contract-phase sql operation"),
    CONTRACT_STEP_IN_EXPAND("TDM110", Severity.ERROR,
            "a destructive step (DROP, TRUNCATE) in an expand-phase sql operation removes what the old "
                    + "version may still use, and rollback cannot bring data back",
            "move it to a contract-phase sql operation, or use drop_index / drop_constraint"),
    LOCK_TIMEOUT("TDM111", Severity.ERROR,
            "a statement that takes a strong lock runs without a short lock_timeout: while it waits, every "
                    + "later query on the table queues behind it",
            "SET lock_timeout (e.g. '500ms') before the first such statement and retry on timeout; inside a "
                    + "Tandem sql operation leave the engine's lock_timeout in place"),
    TABLE_REWRITE("TDM112", Severity.ERROR,
            "VACUUM FULL, CLUSTER, REINDEX without CONCURRENTLY and SET TABLESPACE / LOGGED / UNLOGGED rewrite "
                    + "the table under an ACCESS EXCLUSIVE lock",
            "use pg_repack or REINDEX CONCURRENTLY outside the migration, or build a new table and switch"),
    NOT_IN_TRANSACTION("TDM113", Severity.ERROR,
            "this statement cannot run inside a transaction, and a sql operation runs inside the phase's "
                    + "transaction: the phase would fail",
            "use create_index / drop_index (run CONCURRENTLY outside the transaction), or run it outside Tandem"),
    EXPLICIT_LOCK("TDM114", Severity.WARNING,
            "LOCK TABLE holds a strong lock until the phase's transaction ends",
            "remove it: Tandem's operations take only the locks they need, briefly"),
    UNBATCHED_UPDATE("TDM115", Severity.WARNING,
            "UPDATE or DELETE without WHERE changes every row in one transaction: it locks all rows and holds "
                    + "them until the phase commits",
            "let Tandem backfill (add_column / alter_column 'up'), which updates in key-range batches"),
    DROP_INDEX_NOT_CONCURRENT("TDM116", Severity.ERROR,
            "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table",
            "use a drop_index operation, or DROP INDEX CONCURRENTLY outside a transaction"),
    REQUIRED_COLUMN("TDM117", Severity.ERROR,
            "ADD COLUMN ... NOT NULL without a default fails on a table with rows, and old-version inserts fail",
            "use add_column with 'up' (or a default): NOT NULL is enforced by a NOT VALID check until contract"),
    STATEMENT_TIMEOUT("TDM118", Severity.WARNING,
            "raw SQL runs a statement that may be slow (a scan, a build, a rewrite) on an existing table without "
                    + "a statement_timeout",
            "SET statement_timeout (e.g. '5min') at the top of a script; in a sql operation SET LOCAL "
                    + "statement_timeout first (it ends with the phase's transaction), so a runaway statement ends "
                    + "instead of holding its lock"),
    PREFER_BIGINT("TDM119", Severity.WARNING,
            "a new integer column (int, integer, smallint) can run out of values; widening it later is a "
                    + "table rewrite",
            "use bigint"),
    PREFER_IDENTITY("TDM120", Severity.WARNING,
            "serial types make ownership, permissions and dumps of the sequence awkward",
            "use bigint GENERATED BY DEFAULT AS IDENTITY"),
    NOT_RERUNNABLE("TDM121", Severity.WARNING,
            "a plain script statement outside a transaction that fails on a second run (no IF [NOT] EXISTS): "
                    + "a script that stopped half way cannot simply be run again",
            "add IF NOT EXISTS / IF EXISTS, or wrap the statements that allow it in BEGIN ... COMMIT"),
    NOT_NULL_VOLATILE_DEFAULT("TDM201", Severity.WARNING,
            "a NOT NULL column with a non-constant default and no 'up' has no sync rule: until the backfill "
                    + "reaches a row, any update of that row fails",
            "give 'up', or add the column nullable and make it NOT NULL in a later migration, or run the "
                    + "backfill right after expand"),
    CONSTANT_DEFAULT_WITH_UP("TDM202", Severity.WARNING,
            "a column added with a constant default and 'up': existing rows hold the default as soon as the column "
                    + "exists, and the backfill fills only NULLs, so 'up' never reaches them; it applies only to "
                    + "old-version writes",
            "leave the default out (set it with alter_column in a later migration) so that the backfill fills "
                    + "existing rows from 'up', or leave 'up' out if the default is what existing rows should hold"),
    ROLLBACK_NOT_CLEAN("TDM301", Severity.ERROR,
            "expand followed by rollback does not leave the catalog as it was",
            "make the sql operation's 'rollback' undo exactly what its 'sql' does"),
    PHASE_FAILED("TDM302", Severity.ERROR,
            "a phase failed on the scratch database",
            "fix the migration so that expand, backfill, contract and rollback all run on the schema it "
                    + "starts from"),
    OLD_QUERY_BROKEN("TDM303", Severity.ERROR,
            "an old-version statement fails after expand: the running application would break at deploy",
            "keep the old shape until contract: rename/drop through operations (the old version keeps its "
                    + "names through public or the previous version schema), not raw SQL in expand"),
    NEW_QUERY_BROKEN("TDM304", Severity.ERROR,
            "a new-version statement fails against the new version's schema after expand",
            "make the migration give the new version what its statements use, or fix the statement"),
    CONTRACT_NOT_DECLARED("TDM305", Severity.ERROR,
            "after expand, backfill and contract the catalog differs from the schema the migration declares "
                    + "(what its operations describe); the new version's views show the declared schema",
            "express schema changes through operations (add_column, alter_column, create_index, ...); keep raw "
                    + "sql operations to what Tandem does not model (functions, comments, data), or undo it"),
    CHANGESET_PHASE_LABEL("TDM401", Severity.ERROR,
            "a changeset of a phase-labelled Liquibase changelog needs exactly one of the labels expand, backfill, "
                    + "contract: migrate expand|backfill|contract --changelog refuses the changelog otherwise",
            "label it (labels=\"expand\", labels: expand, --changeset a:b labels:expand); changesets that ran "
                    + "before the project adopted Tandem stay unlabelled at the top of the changelog"),
    DESTRUCTIVE_CHANGE_IN_EXPAND("TDM402", Severity.ERROR,
            "a Liquibase change in an expand-labelled changeset drops, renames or narrows what the old version "
                    + "still uses, or rejects its writes",
            "in expand add the new column or table (nullable) and a trigger that keeps old and new equal, fill "
                    + "it in a backfill changeset, and drop, rename or constrain the old one in a contract changeset"),
    MARIADB_TABLE_COPY("TDM501", Severity.ERROR,
            "MariaDB: where it cannot change a table in place, ALTER TABLE copies it, and writes wait for the whole "
                    + "copy (a type change, ADD CHECK, a foreign key while foreign_key_checks is on, a FULLTEXT index)",
            "add ALGORITHM=INSTANT, or LOCK=NONE, so that MariaDB refuses the statement instead of copying; for a "
                    + "type change, a check or a foreign key use Tandem's operations (alter_column, "
                    + "create_constraint), which keep both versions writing"),
    MARIADB_COLUMN_DEFINITION("TDM502", Severity.ERROR,
            "MariaDB: MODIFY / CHANGE COLUMN restates the column's whole definition; any change of type, length, "
                    + "character set or nullability rebuilds or copies the table, and the old version's reads and "
                    + "writes meet the new definition at once",
            "use an alter_column operation ('type', 'nullable', 'default' with 'up' and 'down'): a shadow column "
                    + "or a copy of the table, filled in batches, the old column kept until contract"),
    MARIADB_LOCK_WAIT_TIMEOUT("TDM503", Severity.ERROR,
            "MariaDB: a statement that takes a metadata lock runs without a short lock_wait_timeout (the server "
                    + "waits a day by default): while it waits, every later query on the table queues behind it",
            "SET SESSION lock_wait_timeout = 2 (seconds) before the first such statement and retry on timeout; "
                    + "inside a Tandem sql operation leave the engine's lock_wait_timeout in place");

    private final String id;
    private final Severity severity;
    private final String problem;
    private final String alternative;

    Rule(String id, Severity severity, String problem, String alternative) {
        this.id = id;
        this.severity = severity;
        this.problem = problem;
        this.alternative = alternative;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String problem() {
        return problem;
    }

    public String alternative() {
        return alternative;
    }

    public static Optional<Rule> byId(String id) {
        return Arrays.stream(values()).filter(rule -> rule.id.equalsIgnoreCase(id)).findFirst();
    }
}
