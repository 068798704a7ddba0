package dev.flagway.routing;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.TargetingContext;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The proxy behind {@link DualWriteRepository}: one plan per method, prepared in {@code wrap()}, so
 * that a call is a lookup and the plan's own work, with no closure allocated per call.
 */
final class RepositoryInvocationHandler implements InvocationHandler {
    /** The plans, keyed by the planner's {@link Method} objects. */
    private final Map<Method, Plan> plans;
    /**
     * The same plans keyed by the proxy's own {@link Method} objects (distinct instances, equal to the
     * planner's), learnt on each method's first call: one identity probe per call instead of
     * {@link Method#equals}. Copied on write; there are as many writes as methods.
     */
    private volatile Map<Method, Plan> byProxyMethod = new IdentityHashMap<>();

    RepositoryInvocationHandler(Map<Method, Plan> plans) {
        this.plans = plans;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Plan plan = byProxyMethod.get(method);
        if (plan == null) {
            plan = learn(method);
        }
        return plan.invoke(proxy, args);
    }

    private synchronized Plan learn(Method method) {
        Plan plan = plans.get(method);
        if (plan == null) {
            throw new IllegalStateException("no plan for " + method); // wrap() planned every method a proxy can call
        }
        Map<Method, Plan> learnt = new IdentityHashMap<>(byProxyMethod);
        learnt.put(method, plan);
        byProxyMethod = learnt;
        return plan;
    }

    /** What a call of one method does. */
    @FunctionalInterface
    interface Plan {
        Object invoke(Object proxy, Object[] args) throws Throwable;
    }

    /** Where a call's targeting key comes from: parameter {@code index}, or the context when -1. */
    static String targetingKey(int index, Object[] args) {
        if (index >= 0 && args[index] != null) {
            return String.valueOf(args[index]);
        }
        return TargetingContext.current();
    }

    /** A {@link FlagRouted} method, answered by {@code fallback} on the legacy implementation when the modern read fails. */
    static Plan read(MigrationRuntime migration, Object legacy, Object modern, Method method, Method fallback,
                     int targetingIndex) {
        FlagRoutedReader reader = migration.reader();
        MethodPaths paths = new MethodPaths(legacy, modern, method, fallback);
        return (proxy, args) -> reader.route(targetingKey(targetingIndex, args), paths, args, args, args);
    }

    /** A {@link DualWrite} method; {@code rowKey} finds the row key in the arguments. */
    static Plan write(MigrationRuntime migration, Object legacy, Object modern, Method method, int targetingIndex,
                      Function<Object[], Object> rowKey) {
        DualWriter writer = migration.writer();
        MethodPaths paths = new MethodPaths(legacy, modern, method, method);
        return (proxy, args) -> writer.route(targetingKey(targetingIndex, args), rowKey.apply(args), paths, args, args);
    }

    /** An unannotated default method: runs on the proxy. */
    static Plan defaultMethod(Method method) {
        return (proxy, args) -> InvocationHandler.invokeDefault(proxy, method, args);
    }

    /** A repository method on the legacy and the modern implementation, run on a call's arguments. */
    private static final class MethodPaths implements Paths<Object[], Throwable> {
        private final Object legacy;
        private final Object modern;
        private final Method method;
        private final Method fallback;

        MethodPaths(Object legacy, Object modern, Method method, Method fallback) {
            this.legacy = legacy;
            this.modern = modern;
            this.method = method;
            this.fallback = fallback;
        }

        @Override
        public Object legacy(Object[] args) throws Throwable {
            return call(legacy, method, args);
        }

        @Override
        public Object modern(Object[] args) throws Throwable {
            return call(modern, method, args);
        }

        @Override
        public Object fallback(Object[] args) throws Throwable {
            return call(legacy, fallback, args);
        }

        private static Object call(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
