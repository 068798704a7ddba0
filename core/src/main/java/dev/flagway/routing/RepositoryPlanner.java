package dev.flagway.routing;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.TargetingContext;
import dev.flagway.TargetingKey;
import dev.flagway.WritePolicy;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reflects a repository interface once and turns each method into a plan, collecting every problem. */
final class RepositoryPlanner {
    private final Class<?> type;
    private final MigrationRuntime migration;
    private final Object legacy;
    private final Object modern;
    private final boolean contextTargetingKey;
    private final boolean needsRowKey;
    private final Map<Class<?>, Function<Object, ?>> rowKeyExtractors;
    private final List<String> problems = new ArrayList<>();

    RepositoryPlanner(Class<?> type, MigrationRuntime migration, Object legacy, Object modern,
                      boolean contextTargetingKey, Map<Class<?>, Function<Object, ?>> rowKeyExtractors) {
        this.type = type;
        this.migration = migration;
        this.legacy = legacy;
        this.modern = modern;
        this.contextTargetingKey = contextTargetingKey;
        this.needsRowKey = migration.migration().writePolicy() == WritePolicy.REPAIR;
        this.rowKeyExtractors = Map.copyOf(rowKeyExtractors);
    }

    /** A plan for every method a proxy of the type can be called with, {@code equals}, {@code hashCode} and {@code toString} included. */
    Map<Method, RepositoryInvocationHandler.Plan> plan() {
        Map<Method, RepositoryInvocationHandler.Plan> plans = objectMethodPlans();
        for (Method method : type.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || isObjectMethod(method)) {
                continue;
            }
            RepositoryInvocationHandler.Plan plan = plan(method);
            if (plan != null) {
                method.setAccessible(true);
                plans.put(method, plan);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cannot wrap " + type.getName() + ":\n - " + String.join("\n - ", problems));
        }
        return Map.copyOf(plans);
    }

    /** The proxy's own {@code equals}, {@code hashCode} and {@code toString}. */
    private Map<Method, RepositoryInvocationHandler.Plan> objectMethodPlans() {
        String text = "DualWriteRepository[" + type.getName() + ", migration=" + migration.migration().id() + "]";
        Map<Method, RepositoryInvocationHandler.Plan> plans = new HashMap<>();
        try {
            plans.put(Object.class.getMethod("equals", Object.class), (proxy, args) -> proxy == args[0]);
            plans.put(Object.class.getMethod("hashCode"), (proxy, args) -> System.identityHashCode(proxy));
            plans.put(Object.class.getMethod("toString"), (proxy, args) -> text);
        } catch (NoSuchMethodException e) {
            throw new AssertionError("java.lang.Object lacks a method", e);
        }
        return plans;
    }

    private RepositoryInvocationHandler.Plan plan(Method method) {
        boolean writes = method.isAnnotationPresent(DualWrite.class);
        FlagRouted routed = method.getAnnotation(FlagRouted.class);
        if (writes && routed != null) {
            problems.add(describe(method) + " has both @DualWrite and @FlagRouted; choose one");
            return null;
        }
        if (!writes && routed == null) {
            if (method.isDefault()) {
                return RepositoryInvocationHandler.defaultMethod(method);
            }
            problems.add(describe(method) + " has neither @DualWrite nor @FlagRouted");
            return null;
        }
        int targetingIndex = targetingKeyIndex(method);
        if (routed != null) {
            if (indexOf(method, RowKey.class) >= 0) {
                problems.add(describe(method) + " is @FlagRouted; only @DualWrite methods take a @RowKey parameter");
            }
            Method fallback = fallback(method, routed.fallback());
            return fallback == null ? null
                    : RepositoryInvocationHandler.read(migration, legacy, modern, method, fallback, targetingIndex);
        }
        Function<Object[], Object> rowKey = rowKey(method);
        return rowKey == null ? null
                : RepositoryInvocationHandler.write(migration, legacy, modern, method, targetingIndex, rowKey);
    }

    private int targetingKeyIndex(Method method) {
        int index = indexOf(method, TargetingKey.class);
        if (index == -1 && !contextTargetingKey) {
            problems.add(describe(method) + " has no @TargetingKey parameter; annotate one, or call "
                    + "targetingKeyFromContext() to take the key from TargetingContext");
        }
        return index;
    }

    private Method fallback(Method method, String name) {
        if (name.isEmpty()) {
            return method;
        }
        Method fallback;
        try {
            fallback = type.getMethod(name, method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            problems.add(describe(method) + " names fallback '" + name + "', but " + type.getSimpleName()
                    + " has no method " + name + "(" + parameterList(method) + ")");
            return null;
        }
        if (!method.getReturnType().isAssignableFrom(fallback.getReturnType())) {
            problems.add(describe(method) + " names fallback " + describe(fallback) + ", which returns "
                    + fallback.getReturnType().getSimpleName() + " where " + method.getReturnType().getSimpleName()
                    + " is needed");
            return null;
        }
        fallback.setAccessible(true);
        return fallback;
    }

    private Function<Object[], Object> rowKey(Method method) {
        int index = indexOf(method, RowKey.class);
        if (index >= 0) {
            return args -> args[index];
        }
        List<Integer> candidates = new ArrayList<>();
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            if (extractorFor(parameters[i]) != null) {
                candidates.add(i);
            }
        }
        if (candidates.size() == 1) {
            int argument = candidates.get(0);
            Function<Object, ?> extractor = extractorFor(parameters[argument]);
            return args -> args[argument] == null ? null : extractor.apply(args[argument]);
        }
        if (candidates.size() > 1) {
            problems.add(describe(method) + " has several parameters with a row key extractor "
                    + candidates + "; mark the right one with @RowKey");
            return null;
        }
        if (needsRowKey) {
            problems.add(describe(method) + " has no @RowKey parameter and no row key extractor matches its "
                    + "parameters; failed modern writes could not be recorded for repair");
            return null;
        }
        return args -> null;
    }

    private Function<Object, ?> extractorFor(Class<?> parameter) {
        for (Map.Entry<Class<?>, Function<Object, ?>> e : rowKeyExtractors.entrySet()) {
            if (e.getKey().isAssignableFrom(parameter)) {
                return e.getValue();
            }
        }
        return null;
    }

    private int indexOf(Method method, Class<? extends Annotation> annotation) {
        Annotation[][] annotations = method.getParameterAnnotations();
        int found = -1;
        for (int i = 0; i < annotations.length; i++) {
            for (Annotation a : annotations[i]) {
                if (a.annotationType() == annotation) {
                    if (found >= 0) {
                        problems.add(describe(method) + " has more than one @" + annotation.getSimpleName() + " parameter");
                        return found;
                    }
                    found = i;
                }
            }
        }
        return found;
    }

    /** equals, hashCode and toString redeclared by the interface: the proxy answers them itself. */
    private static boolean isObjectMethod(Method method) {
        try {
            Object.class.getMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String describe(Method method) {
        return method.getName() + "(" + parameterList(method) + ")";
    }

    private static String parameterList(Method method) {
        return Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "));
    }
}
