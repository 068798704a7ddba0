package dev.flagway;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Function;

/** The proxy behind {@link DualWriteRepository}: one plan per method, chosen by a map lookup. */
final class RepositoryInvocationHandler implements InvocationHandler {
    private final Class<?> type;
    private final MigrationRuntime migration;
    private final Object legacy;
    private final Object modern;
    private final Map<Method, Plan> plans;

    RepositoryInvocationHandler(Class<?> type, MigrationRuntime migration, Object legacy, Object modern,
                                Map<Method, Plan> plans) {
        this.type = type;
        this.migration = migration;
        this.legacy = legacy;
        this.modern = modern;
        this.plans = plans;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Plan plan = plans.get(method);
        if (plan != null) {
            return plan.invoke(this, proxy, args);
        }
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "DualWriteRepository[" + type.getName() + ", migration=" + migration.migration().id() + "]";
            default:
                throw new IllegalStateException("no plan for " + method); // wrap() planned every other method
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** What a call of one method does. */
    interface Plan {
        Object invoke(RepositoryInvocationHandler handler, Object proxy, Object[] args) throws Throwable;
    }

    /** Where a call's targeting key comes from: parameter {@code index}, or the context when -1. */
    static String targetingKey(int index, Object[] args) {
        if (index >= 0 && args[index] != null) {
            return String.valueOf(args[index]);
        }
        return TargetingContext.current();
    }

    /** A {@link FlagRouted} method. */
    static Plan read(Method method, Method fallback, int targetingIndex) {
        return (h, proxy, args) -> h.migration.reader().read(targetingKey(targetingIndex, args),
                () -> call(h.legacy, method, args),
                () -> call(h.modern, method, args),
                () -> call(h.legacy, fallback, args));
    }

    /** A {@link DualWrite} method; {@code rowKey} finds the row key in the arguments. */
    static Plan write(Method method, int targetingIndex, Function<Object[], Object> rowKey) {
        return (h, proxy, args) -> h.migration.writer().write(targetingKey(targetingIndex, args), rowKey.apply(args),
                () -> call(h.legacy, method, args),
                () -> call(h.modern, method, args));
    }

    /** An unannotated default method: runs on the proxy. */
    static Plan defaultMethod(Method method) {
        return (h, proxy, args) -> InvocationHandler.invokeDefault(proxy, method, args);
    }
}
