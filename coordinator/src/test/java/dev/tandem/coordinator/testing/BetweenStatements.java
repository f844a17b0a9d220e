package dev.tandem.coordinator.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A data source that runs a callback after each statement its connections ran by {@code Statement.execute(String)},
 * as Tandem runs a step's statements: writes of the application land between any two of them, where a real
 * application's writes may land, instead of where a step ends.
 */
public final class BetweenStatements {
    private BetweenStatements() {
    }

    /** {@code source}, calling {@code after} with each statement's text once the statement ran. */
    public static DataSource of(DataSource source, Consumer<String> after) {
        return proxy(DataSource.class, source, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection c ? connection(c, after) : result;
        });
    }

    private static Connection connection(Connection connection, Consumer<String> after) {
        return proxy(Connection.class, connection, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return method.getName().equals("createStatement") ? statement((Statement) result, after) : result;
        });
    }

    private static Statement statement(Statement statement, Consumer<String> after) {
        return proxy(Statement.class, statement, (target, method, args) -> {
            Object result = invoke(target, method, args);
            if (method.getName().equals("execute") && args != null && args.length == 1 && args[0] instanceof String sql) {
                after.accept(sql);
            }
            return result;
        });
    }

    private interface Call {
        Object on(Object target, Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (proxy, method, args) -> call.on(target, method, args);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
