package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;

/**
 * A table to backfill, keyed by {@code key} (composite, uuid, ...), whose rows count how often they were
 * updated: the backfill must update every row exactly once, and a migration that gives it a label.
 */
final class Items {
    static final String COMPOSITE_KEY = "tenant int, code text, PRIMARY KEY (tenant, code)";
    static final String UUID_KEY = "id uuid PRIMARY KEY DEFAULT gen_random_uuid()";

    private Items() {
    }

    /** {@code rows} rows; with the composite key, tenants 1..7 and codes that sort as text, not as numbers. */
    static void create(TestDatabase db, String key, int rows) {
        boolean composite = key.equals(COMPOSITE_KEY);
        db.execute("CREATE TABLE items (" + key + ", qty int NOT NULL, updates int NOT NULL DEFAULT 0)",
                "CREATE FUNCTION count_update() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$BEGIN NEW.updates := OLD.updates + 1; RETURN NEW; END$$",
                "CREATE TRIGGER count_update BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION count_update()",
                "INSERT INTO items (" + (composite ? "tenant, code, " : "") + "qty) SELECT "
                        + (composite ? "1 + g % 7, 'c' || g, " : "") + "g % 1000 FROM generate_series(1, " + rows
                        + ") AS g",
                "ANALYZE items");
    }

    static Migration migration() {
        return Examples.inline("label_items",
                "add_column: {table: items, column: {name: label, type: text}, up: \"'q' || (qty * 2)\"}");
    }

    /** A digest of every row's key and label, and the rows whose label is wrong or that were not updated once. */
    static String checksum(TestDatabase db) {
        return db.value("SELECT md5(string_agg(to_jsonb(i)::text, ',' ORDER BY to_jsonb(i)::text)) FROM items i");
    }

    static long wrongRows(TestDatabase db) {
        return Long.parseLong(db.value("SELECT count(*) FROM items WHERE label IS DISTINCT FROM 'q' || (qty * 2)"
                + " OR updates <> 1"));
    }
}
