package dev.tandem.coordinator.testing;

import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The migrations and schema of the migrations-examples module, read from the class path. */
public final class Examples {
    /** A small shop in MariaDB's SQL: customers and their orders. */
    public static final String[] MARIADB_SHOP = {
            "CREATE TABLE customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE,"
                    + " first_name VARCHAR(50) NOT NULL, last_name VARCHAR(50) NOT NULL, phone VARCHAR(20))",
            "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL, quantity INT,"
                    + " note VARCHAR(200), legacy_code VARCHAR(20),"
                    + " CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id))",
            "INSERT INTO customers (email, first_name, last_name, phone) SELECT CONCAT('customer', seq, '@example.com'),"
                    + " CONCAT('First', seq), CONCAT('Last', seq), IF(seq % 3 = 0, NULL, CONCAT('555-', seq))"
                    + " FROM seq_1_to_200",
            "INSERT INTO orders (customer_id, quantity, note, legacy_code) SELECT 1 + seq % 200, 1 + seq % 5,"
                    + " IF(seq % 2 = 0, CONCAT('note ', seq), NULL), CONCAT('L', seq) FROM seq_1_to_2500"};

    private Examples() {
    }

    public static Migration migration(String file) {
        return migration("migrations", file);
    }

    /** An example of another directory than {@code migrations} ({@code keys}, which has a schema of its own). */
    public static Migration migration(String directory, String file) {
        return new MigrationParser().parse(file, bytes(directory + "/" + file));
    }

    /** A migration written in a test; {@code operations} is the YAML list of its operations, one per line. */
    public static Migration inline(String name, String... operations) {
        String yaml = "name: " + name + "\noperations:\n" + Arrays.stream(operations)
                .map(operation -> "  - " + operation + "\n").reduce("", String::concat);
        return new MigrationParser().parse(name + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** The shop schema with its rows, as statements. */
    public static String[] shop() {
        return schema("shop.sql");
    }

    /** A schema script of the examples ({@code shop.sql}, {@code shop-mariadb.sql}), as statements. */
    public static String[] schema(String file) {
        String text = new String(bytes("schema/" + file), StandardCharsets.UTF_8);
        return Arrays.stream(text.split(";\\s*\\n"))
                .map(s -> s.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + "\n" + b).strip())
                .filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = Examples.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
