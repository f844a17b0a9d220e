package dev.tandem.it;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Every write to the shop's products that the simulated apps of a load test were told succeeded, and so what each
 * version must read at the end, row by row. Writes to one row are serialised here (a lock per stripe of ids, held
 * across the statement and its entry), so the ledger sees a row's writes in the order the database committed
 * them. It also counts every statement by phase, version, kind and outcome for the test's report.
 */
final class Ledger {
    /** A product as both versions must read it: the old version's price is {@code cents / 100}. */
    record Product(long cents, String sku, String code, Long seller, String lastWrite) {
        BigDecimal price() {
            return BigDecimal.valueOf(cents, 2);
        }

        Product cents(long value) {
            return new Product(value, sku, code, seller, lastWrite);
        }

        /** A new SKU, written by the old version: {@code up} derives the code from it again. */
        Product sku(String value) {
            return new Product(cents, value, derivedCode(value), seller, lastWrite);
        }

        Product code(String value) {
            return new Product(cents, sku, value, seller, lastWrite);
        }

        Product seller(Long value) {
            return new Product(cents, sku, code, value, lastWrite);
        }

        Product written(String write) {
            return new Product(cents, sku, code, seller, write);
        }
    }

    /** A statement that writes one row; returns how many rows it changed. */
    @FunctionalInterface
    interface Write {
        int run() throws SQLException;
    }

    /** An INSERT ... RETURNING id. */
    @FunctionalInterface
    interface Insert {
        long run() throws SQLException;
    }

    private static final List<String> OUTCOMES = List.of("ok", "no row", "refused", "failed");

    private final Map<Long, Product> rows = new ConcurrentHashMap<>();
    /** Every id the apps may pick, deleted ones too (a statement on those changes no row). */
    private final List<Long> ids = new ArrayList<>();
    /** Products that orders refer to: the apps do not delete them. */
    private final Set<Long> referenced;
    private final Object[] stripes = new Object[64];
    private final AtomicLong unique = new AtomicLong();
    private final Set<String> phases = new LinkedHashSet<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile String phase;

    private Ledger(Set<Long> referenced) {
        this.referenced = referenced;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
        phase("before expand");
    }

    /** The products as the old version reads them before expand: every value the migration derives is known. */
    static Ledger of(Connection connection) throws SQLException {
        Set<Long> referenced = new HashSet<>();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT DISTINCT product_id FROM orders WHERE product_id IS NOT NULL")) {
            while (r.next()) {
                referenced.add(r.getLong(1));
            }
        }
        Ledger ledger = new Ledger(referenced);
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT id, price, sku FROM products ORDER BY id")) {
            while (r.next()) {
                String sku = r.getString(3);
                ledger.add(r.getLong(1), new Product(r.getBigDecimal(2).movePointRight(2).longValueExact(), sku,
                        derivedCode(sku), null, "seeded"));
            }
        }
        return ledger;
    }

    /** The code product_listing's {@code up} gives a product: {@code CONCAT('P-', sku)}. */
    static String derivedCode(String sku) {
        return "P-" + sku;
    }

    /** The phase the statements from now on are counted in. */
    void phase(String name) {
        synchronized (phases) {
            phases.add(name);
        }
        phase = name;
    }

    /** A value no other write of this test uses, for SKUs and codes (the codes are unique). */
    String unique(String prefix) {
        return prefix + unique.incrementAndGet();
    }

    /** Any product the apps may have written, perhaps deleted since. */
    long anyRow(ThreadLocalRandom random) {
        synchronized (ids) {
            return ids.get(random.nextInt(ids.size()));
        }
    }

    /** Any product no order refers to, perhaps deleted since. */
    long deletableRow(ThreadLocalRandom random) {
        long id;
        do {
            id = anyRow(random);
        } while (referenced.contains(id));
        return id;
    }

    /**
     * Runs {@code write} on row {@code id} and, if it changed the row, records {@code change} (null: the row is
     * gone). An error that {@code refusal} accepts is a documented, loud refusal: counted, not thrown.
     */
    void update(String version, String kind, long id, Write write, UnaryOperator<Product> change,
                Predicate<SQLException> refusal) {
        synchronized (stripes[Math.floorMod(id, stripes.length)]) {
            int changed;
            try {
                changed = write.run();
            } catch (SQLException e) {
                failed(version, kind, e, refusal);
                return;
            }
            if (changed > 0) {
                String entry = phase + ": " + version + " " + kind;
                rows.computeIfPresent(id, (key, product) -> {
                    Product changedTo = change.apply(product);
                    return changedTo == null ? null : changedTo.written(entry);
                });
            }
            count(version, kind, changed > 0 ? "ok" : "no row");
        }
    }

    void insert(String version, String kind, Insert insert, Product product) {
        long id;
        try {
            id = insert.run();
        } catch (SQLException e) {
            failed(version, kind, e, refused -> false);
            return;
        }
        add(id, product.written(phase + ": " + version + " " + kind));
        count(version, kind, "ok");
    }

    void read(String version, String kind, Write read) {
        try {
            read.run();
        } catch (SQLException e) {
            failed(version, kind, e, refused -> false);
            return;
        }
        count(version, kind, "ok");
    }

    private void add(long id, Product product) {
        rows.put(id, product);
        synchronized (ids) {
            ids.add(id);
        }
    }

    private void failed(String version, String kind, SQLException e, Predicate<SQLException> refusal) {
        if (refusal.test(e)) {
            count(version, kind, "refused");
            return;
        }
        count(version, kind, "failed");
        throw new IllegalStateException(version + " version, " + kind + ", " + phase + ": " + e.getMessage(), e);
    }

    private void count(String version, String kind, String outcome) {
        counts.computeIfAbsent(String.join("\t", phase, version, kind, outcome), k -> new LongAdder()).increment();
    }

    /** How many statements of {@code version} ended so in {@code phase}, over every kind. */
    long total(String phase, String version, String outcome) {
        return counts.entrySet().stream().filter(e -> {
            String[] key = e.getKey().split("\t");
            return key[0].equals(phase) && key[1].equals(version) && key[3].equals(outcome);
        }).mapToLong(e -> e.getValue().sum()).sum();
    }

    /** A row that a version reads otherwise than the ledger says: {@code what} names the columns that differ. */
    record Difference(String version, long id, String what, String detail) {
        @Override
        public String toString() {
            return "the " + version + " version, product " + id + ": " + what + " " + detail;
        }
    }

    /**
     * Every way the products differ from the ledger, as the old version reads them on {@code oldShape} and the new
     * version on {@code newShape} (either null when that shape is gone).
     */
    List<Difference> differences(Connection oldShape, Connection newShape) throws SQLException {
        List<Difference> differences = new ArrayList<>();
        if (oldShape != null) {
            compare(oldShape, "old", List.of("price", "sku"),
                    p -> Arrays.asList(p.price().toPlainString(), p.sku()), differences);
        }
        if (newShape != null) {
            compare(newShape, "new", List.of("price_cents", "sku", "code", "seller_id"), p -> Arrays.asList(
                    String.valueOf(p.cents()), p.sku(), p.code(), p.seller() == null ? null : p.seller().toString()),
                    differences);
        }
        return differences;
    }

    private void compare(Connection connection, String version, List<String> columns,
                         Function<Product, List<String>> expectedValues, List<Difference> differences)
            throws SQLException {
        Set<Long> seen = new HashSet<>();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT id, " + String.join(", ", columns) + " FROM products")) {
            while (r.next()) {
                long id = r.getLong(1);
                seen.add(id);
                Product expected = rows.get(id);
                if (expected == null) {
                    differences.add(new Difference(version, id, "deleted row", "present"));
                    continue;
                }
                List<String> wanted = expectedValues.apply(expected);
                List<String> differ = new ArrayList<>();
                List<String> read = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    read.add(r.getString(i + 2));
                    if (!Objects.equals(read.get(i), wanted.get(i))) {
                        differ.add(columns.get(i));
                    }
                }
                if (!differ.isEmpty()) {
                    differences.add(new Difference(version, id, String.join(", ", differ), "reads " + read
                            + " instead of " + wanted + " (last acknowledged write: " + expected.lastWrite() + ")"));
                }
            }
        }
        rows.keySet().stream().filter(id -> !seen.contains(id)).sorted().forEach(id -> differences.add(
                new Difference(version, id, "missing row", "(last acknowledged write: " + rows.get(id).lastWrite()
                        + ")")));
    }

    /** Every statement by phase and version: per kind, how many changed a row, found none, were refused, failed. */
    String report() {
        Map<String, Map<String, long[]>> lines = new HashMap<>();
        counts.forEach((key, count) -> {
            String[] parts = key.split("\t");
            long[] outcomes = lines.computeIfAbsent(parts[0] + "\t" + parts[1], k -> new TreeMap<>())
                    .computeIfAbsent(parts[2], k -> new long[OUTCOMES.size()]);
            outcomes[OUTCOMES.indexOf(parts[3])] += count.sum();
        });
        StringBuilder out = new StringBuilder();
        List<String> ordered;
        synchronized (phases) {
            ordered = List.copyOf(phases);
        }
        for (String name : ordered) {
            for (String version : List.of("old", "new")) {
                Map<String, long[]> kinds = lines.get(name + "\t" + version);
                if (kinds == null) {
                    continue;
                }
                out.append(String.format("  %-26s %-4s", name, version));
                kinds.forEach((kind, outcomes) -> {
                    out.append(" | ").append(kind).append(' ').append(outcomes[0]);
                    for (int i = 1; i < OUTCOMES.size(); i++) {
                        if (outcomes[i] > 0) {
                            out.append(", ").append(outcomes[i]).append(' ').append(OUTCOMES.get(i));
                        }
                    }
                });
                out.append('\n');
            }
        }
        return out.toString();
    }
}
