package dev.flagway.spring.boot.autoconfigure.repositories;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Implementations of test repository interfaces that answer with their name and note every call. */
public final class Stubs {
    /** Every call, as {@code name.method(args)}, in order. */
    public static final List<String> CALLS = new CopyOnWriteArrayList<>();

    private Stubs() {
    }

    /** An implementation of {@code type} whose methods return {@code name:<first argument>} and note the call. */
    public static <T> T of(Class<T> type, String name) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? name : method.getName().equals("hashCode")
                        ? System.identityHashCode(proxy) : proxy == args[0];
            }
            CALLS.add(name + '.' + method.getName() + '(' + args[0] + ')');
            return method.getReturnType() == String.class ? name + ':' + args[0] : null;
        }));
    }
}
