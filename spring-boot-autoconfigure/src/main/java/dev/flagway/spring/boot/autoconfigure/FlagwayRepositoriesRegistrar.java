package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.FlagwayStartupException;
import java.beans.Introspector;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link FlagwayRepository @FlagwayRepository} interfaces in the application's packages
 * (those of its {@code @SpringBootApplication}, as Spring Data finds repositories) and registers, for
 * each, the routing proxy as the {@code @Primary} bean of the interface, named after it
 * ({@code userRepository} for {@code UserRepository}). The proxy is built when the context starts, so
 * a misconfigured repository fails start-up ({@link RoutedRepositoryFactory}).
 */
final class FlagwayRepositoriesRegistrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware,
        ResourceLoaderAware, EnvironmentAware {
    private ConfigurableListableBeanFactory beanFactory;
    private ResourceLoader resourceLoader;
    private Environment environment;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
        if (!AutoConfigurationPackages.has(beanFactory)) {
            return;
        }
        for (Class<?> repository : repositoryInterfaces(AutoConfigurationPackages.get(beanFactory))) {
            register(repository, registry);
        }
    }

    private List<Class<?>> repositoryInterfaces(List<String> packages) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
                environment) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
            }
        };
        scanner.setResourceLoader(resourceLoader);
        scanner.addIncludeFilter(new AnnotationTypeFilter(FlagwayRepository.class, false, false));
        ClassLoader classLoader = resourceLoader.getClassLoader();
        return packages.stream()
                .flatMap(p -> scanner.findCandidateComponents(p).stream())
                .map(BeanDefinition::getBeanClassName)
                .distinct()
                .<Class<?>>map(name -> ClassUtils.resolveClassName(name, classLoader))
                .toList();
    }

    private <T> void register(Class<T> repository, BeanDefinitionRegistry registry) {
        String beanName = Introspector.decapitalize(repository.getSimpleName());
        if (registry.containsBeanDefinition(beanName)) {
            throw new FlagwayStartupException("Flagway cannot register the routing bean '" + beanName + "' of "
                    + repository.getName() + ": the application already defines a bean of that name.",
                    "Rename that bean: '" + beanName + "' is the routing repository's name (like Spring Data's).", null);
        }
        FlagwayRepository annotation = repository.getAnnotation(FlagwayRepository.class);
        RoutedRepositoryFactory<T> factory = new RoutedRepositoryFactory<>(beanFactory, repository, annotation, beanName);
        RootBeanDefinition definition = new RootBeanDefinition(repository, factory::create);
        definition.setPrimary(true);
        definition.setTargetType(repository);
        registry.registerBeanDefinition(beanName, definition);
    }
}
