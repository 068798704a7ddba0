package dev.flagway.spring.boot.autoconfigure.it;

import dev.flagway.testing.TestDatabase;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** Points the test's Spring Boot application at a {@link TestDatabase} ({@code spring.datasource.*}). */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface OnDatabase {
    /** The database. */
    TestDatabase value();

    /** Reads {@link OnDatabase} when Spring's test framework builds a context (registered in {@code spring.factories}). */
    final class Factory implements ContextCustomizerFactory {
        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> attributes) {
            OnDatabase on = AnnotatedElementUtils.findMergedAnnotation(testClass, OnDatabase.class);
            return on == null ? null : new Customizer(on.value());
        }
    }

    /** Sets the data source properties of one database. */
    final class Customizer implements ContextCustomizer {
        private final TestDatabase database;

        Customizer(TestDatabase database) {
            this.database = database;
        }

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
            TestDatabase.Endpoint endpoint = database.endpoint();
            TestPropertyValues.of("spring.datasource.url=" + endpoint.url(), "spring.datasource.username=" + endpoint.user(),
                    "spring.datasource.password=" + endpoint.password()).applyTo(context);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Customizer other && other.database == database;
        }

        @Override
        public int hashCode() {
            return Objects.hash(database);
        }
    }
}
