package dev.flagway.examples.boot;

import dev.flagway.spring.Modern;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * A bad deploy of the new code, switched on and off by the test: while {@link #on} is set, every call
 * to the {@link Modern @Modern} repository fails.
 */
final class ModernFault implements BeanPostProcessor {
    volatile boolean on;

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!ClassUtils.getUserClass(bean).isAnnotationPresent(Modern.class)) {
            return bean;
        }
        return Proxy.newProxyInstance(bean.getClass().getClassLoader(), new Class<?>[] {UserRepository.class},
                (proxy, method, args) -> {
                    if (on && method.getDeclaringClass() == UserRepository.class) {
                        throw new IllegalStateException("injected fault: the new code path fails");
                    }
                    try {
                        return method.invoke(bean, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
