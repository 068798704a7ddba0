package dev.flagway.mysql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection whose every statement starts with a comment naming its label, e.g.
 * {@code /* flagway-backfill:users-email *}{@code / select ...}: {@code SHOW PROCESSLIST} and
 * {@code information_schema.PROCESSLIST} show it, also on a server without the performance schema,
 * where the session's {@code @flagway_session} variable cannot be seen.
 */
final class LabelledConnection {
    /** A label as it leads a statement; group 1 is the label. */
    private static final Pattern LEADING = Pattern.compile("^/\\* (flagway-[^*]*) \\*/");
    private static final Set<String> CONNECTION_SQL = Set.of("prepareStatement", "prepareCall");
    private static final Set<String> STATEMENT_SQL = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "addBatch");

    private LabelledConnection() {
    }

    /** {@code connection}, labelling every statement run through it with {@code label}. */
    static Connection of(Connection connection, String label) {
        String comment = "/* " + label.replace("*/", "* /") + " */ ";
        return proxy(Connection.class, connection, (target, method, args) -> {
            Object result = invoke(target, method, withComment(CONNECTION_SQL, method, args, comment));
            return result instanceof Statement s && "createStatement".equals(method.getName())
                    ? proxy(Statement.class, s, (st, m, a) -> invoke(st, m, withComment(STATEMENT_SQL, m, a, comment)))
                    : result;
        });
    }

    /** The label a statement starts with, or null. */
    static String labelOf(String sql) {
        if (sql == null) {
            return null;
        }
        Matcher m = LEADING.matcher(sql);
        return m.find() ? m.group(1) : null;
    }

    private static Object[] withComment(Set<String> methods, Method method, Object[] args, String comment) {
        if (args != null && args.length > 0 && args[0] instanceof String sql && methods.contains(method.getName())) {
            Object[] labelled = args.clone();
            labelled[0] = comment + sql;
            return labelled;
        }
        return args;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (p, method, args) -> call.apply(target, method, args);
        return (T) Proxy.newProxyInstance(LabelledConnection.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** One intercepted call. */
    @FunctionalInterface
    private interface Call {
        Object apply(Object target, Method method, Object[] args) throws Throwable;
    }
}
