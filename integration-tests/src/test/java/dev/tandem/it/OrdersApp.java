package dev.tandem.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import dev.tandem.dualwrite.SchemaVersion;
import dev.tandem.dualwrite.jdbi.TandemJdbiPlugin;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * One running instance of a tiny orders service, as an application embeds Tandem: at start the phase guard
 * checks the version the build was made for and registers the instance, and every Jdbi handle is pinned to
 * that version. {@link V1} was built before {@code it_guard_order_channel}, {@link V2} after it. The same
 * builds run on PostgreSQL and MariaDB.
 */
abstract class OrdersApp implements AutoCloseable {
    static final String CHANNEL_MIGRATION = "it_guard_order_channel";

    private final AppDatabase db;
    private final HikariDataSource pool;
    private final InstanceRegistration registration;
    protected final Jdbi jdbi;

    private OrdersApp(AppDatabase db, String build, String host) {
        this.db = db;
        pool = db.pool();
        try {
            registration = PhaseGuard.builder(build).schema(db.schema()).host(host)
                    .heartbeatInterval(Duration.ofSeconds(1)).build().start(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        jdbi = Jdbi.create(pool).installPlugin(new TandemJdbiPlugin(registration.version()));
    }

    SchemaVersion version() {
        return registration.version();
    }

    /** Where this instance's connections resolve names: the schemas of their search_path, or their database. */
    String schemas() {
        return jdbi.withHandle(h -> h.createQuery(db.whereSql()).mapTo(String.class).one());
    }

    String describe(long orderId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT concat(quantity, ' x product ', product_id) FROM orders "
                + "WHERE id = :id").bind("id", orderId).mapTo(String.class).one());
    }

    abstract long placeOrder(long customerId, long productId, int quantity);

    @Override
    public void close() {
        registration.close();
        pool.close();
    }

    /** The build before the migration: knows nothing of channels. */
    static final class V1 extends OrdersApp {
        V1(AppDatabase db, String host) {
            super(db, "base", host);
        }

        @Override
        long placeOrder(long customerId, long productId, int quantity) {
            return jdbi.withHandle(h -> h.createQuery("INSERT INTO orders (customer_id, product_id, quantity) "
                    + "VALUES (:customer, :product, :quantity) RETURNING id").bind("customer", customerId)
                    .bind("product", productId).bind("quantity", quantity).mapTo(Long.class).one());
        }
    }

    /** The build after the migration: takes orders from the app and shows every order's channel. */
    static final class V2 extends OrdersApp {
        V2(AppDatabase db, String host) {
            super(db, CHANNEL_MIGRATION, host);
        }

        @Override
        long placeOrder(long customerId, long productId, int quantity) {
            return jdbi.withHandle(h -> h.createQuery("INSERT INTO orders (customer_id, product_id, quantity, "
                    + "channel) VALUES (:customer, :product, :quantity, 'app') RETURNING id")
                    .bind("customer", customerId).bind("product", productId).bind("quantity", quantity)
                    .mapTo(Long.class).one());
        }

        String channel(long orderId) {
            return jdbi.withHandle(h -> h.createQuery("SELECT channel FROM orders WHERE id = :id").bind("id", orderId)
                    .mapTo(String.class).one());
        }
    }
}
