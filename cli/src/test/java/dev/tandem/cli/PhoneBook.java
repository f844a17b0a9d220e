package dev.tandem.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.DualWritePhase;
import dev.tandem.dualwrite.DualWriter;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import dev.tandem.dualwrite.jdbi.JdbiDualWriter;
import dev.tandem.dualwrite.jdbi.TandemJdbiPlugin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.Jdbi;

/**
 * One instance of a service that keeps customers' phones across {@code it_move_phone}, which moves them from
 * {@code customers.phone} into {@code customer_phones}. Both builds carry both shapes' code and let
 * {@link DualWriter} pick by phase: {@link V1} (built for base, plain JDBC) and {@link V2} (built for the
 * migration, Jdbi). The old shape is named with its schema because the new version's views no longer show it.
 */
abstract class PhoneBook implements AutoCloseable {
    static final String MIGRATION = "it_move_phone";
    private static final String SET_OLD = "UPDATE public.customers SET phone = ? WHERE id = ?";
    private static final String SET_NEW = "INSERT INTO customer_phones (customer_id, phone) VALUES (?, ?) "
            + "ON CONFLICT (customer_id) DO UPDATE SET phone = excluded.phone";
    private static final String NEW_CUSTOMER = "INSERT INTO customers (email, first_name, last_name) "
            + "VALUES (?, 'New', 'Customer') RETURNING id";
    private static final String GET_OLD = "SELECT phone FROM public.customers WHERE id = ?";
    private static final String GET_NEW = "SELECT phone FROM customer_phones WHERE customer_id = ?";

    protected final HikariDataSource pool;
    protected final InstanceRegistration registration;
    protected final DualWriter phones;

    private PhoneBook(TestDatabase db, String build, String host) {
        pool = db.pool(null, 2);
        try {
            // DualWriter reads the old shape until the backfill: the new build may run before it
            PhaseGuard guard = PhaseGuard.builder(build).host(host).acceptIncompleteBackfill(true).build();
            registration = guard.start(pool);
            phones = DualWriter.create(guard.phases(), MIGRATION);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Sets a customer's phone in every shape the phase writes; returns the phase. */
    abstract DualWritePhase setPhone(long customerId, String phone);

    /** Adds a customer with a phone in one transaction; returns its id. */
    abstract long addCustomer(String email, String phone);

    /** The phone, from the shape the phase reads. */
    abstract String phone(long customerId);

    @Override
    public void close() {
        registration.close();
        pool.close();
    }

    /** The build before the migration, on plain JDBC. */
    static final class V1 extends PhoneBook {
        V1(TestDatabase db, String host) {
            super(db, "base", host);
        }

        @Override
        DualWritePhase setPhone(long customerId, String phone) {
            try (Connection c = connection()) {
                return phones.write(c, o -> update(o, SET_OLD, phone, customerId),
                        n -> update(n, SET_NEW, customerId, phone));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        long addCustomer(String email, String phone) {
            try (Connection c = connection()) {
                c.setAutoCommit(false);
                long id;
                try (PreparedStatement s = c.prepareStatement(NEW_CUSTOMER)) {
                    s.setString(1, email);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        id = r.getLong(1);
                    }
                }
                phones.write(c, o -> update(o, SET_OLD, phone, id), n -> update(n, SET_NEW, id, phone));
                c.commit();
                return id;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        String phone(long customerId) {
            try (Connection c = connection()) {
                return phones.read(c, o -> text(o, GET_OLD, customerId), n -> text(n, GET_NEW, customerId));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private Connection connection() throws SQLException {
            Connection c = pool.getConnection();
            try (Statement s = c.createStatement()) {
                s.execute(registration.version().setSearchPathSql());
            }
            return c;
        }

        private static void update(Connection c, String sql, Object... values) throws SQLException {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    s.setObject(i + 1, values[i]);
                }
                s.executeUpdate();
            }
        }

        private static String text(Connection c, String sql, long key) throws SQLException {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        }
    }

    /** The build for the migration, on Jdbi. */
    static final class V2 extends PhoneBook {
        private final Jdbi jdbi;
        private final JdbiDualWriter jdbiPhones;

        V2(TestDatabase db, String host) {
            super(db, MIGRATION, host);
            jdbi = Jdbi.create(pool).installPlugin(new TandemJdbiPlugin(registration.version()));
            jdbiPhones = new JdbiDualWriter(phones);
        }

        @Override
        DualWritePhase setPhone(long customerId, String phone) {
            return jdbi.withHandle(h -> jdbiPhones.write(h, o -> o.execute(SET_OLD, phone, customerId),
                    n -> n.execute(SET_NEW, customerId, phone)));
        }

        @Override
        long addCustomer(String email, String phone) {
            return jdbi.inTransaction(h -> {
                long id = h.createQuery(NEW_CUSTOMER).bind(0, email).mapTo(Long.class).one();
                jdbiPhones.write(h, o -> o.execute(SET_OLD, phone, id), n -> n.execute(SET_NEW, id, phone));
                return id;
            });
        }

        @Override
        String phone(long customerId) {
            return jdbi.withHandle(h -> jdbiPhones.read(h,
                    o -> o.createQuery(GET_OLD).bind(0, customerId).mapTo(String.class).findOne().orElse(null),
                    n -> n.createQuery(GET_NEW).bind(0, customerId).mapTo(String.class).findOne().orElse(null)));
        }
    }
}
