package dev.bulwark.deploy.chart;

import dev.bulwark.deploy.BuildOutput;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A service's {@code @ConfigMapping} interfaces, loaded from its built fast-jar and bound by
 * SmallRye Config to exactly the environment the chart gives its container (secret references get a
 * placeholder value), as the service would bind them at start.
 */
final class ServiceConfig {

  private final SmallRyeConfig config;
  private final ClassLoader loader;

  private ServiceConfig(SmallRyeConfig config, ClassLoader loader) {
    this.config = config;
    this.loader = loader;
  }

  static ServiceConfig of(RenderedChart rendered, String service, String... mappings) {
    Map<String, String> env = new HashMap<>(rendered.config(service).getData());
    for (EnvVar var : rendered.container(service).getEnv()) {
      env.put(var.getName(), var.getValue() != null ? var.getValue() : "from-a-secret");
    }
    ClassLoader loader = fastJarLoader(service);
    SmallRyeConfigBuilder builder =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .addDiscoveredConverters()
            .withSources(new EnvConfigSource(env, 300));
    for (String mapping : mappings) {
      builder.withMapping(load(loader, mapping));
    }
    return new ServiceConfig(builder.build(), loader);
  }

  /** The bound mapping, to be read with {@link #read}. */
  Object mapping(String interfaceName) {
    return config.getConfigMapping(load(loader, interfaceName));
  }

  /** A property as the service looks it up, e.g. a {@code @Scheduled} cron's expression. */
  Optional<String> value(String property) {
    return config.getOptionalValue(property, String.class);
  }

  /**
   * A line of the service's own {@code application.properties} as built: where a setting the chart
   * sets under another name (a Secret's variable) is read from, e.g. {@code ${BULWARK_X_TOKEN:}}.
   */
  Optional<String> builtProperty(String property) {
    URL file = loader.getResource("application.properties");
    if (file == null) {
      throw new AssertionError("the built service has no application.properties");
    }
    Properties properties = new Properties();
    try (InputStream in = file.openStream()) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.ofNullable(properties.getProperty(property));
  }

  /** Calls the accessors named by {@code path} one after the other, e.g. "kind". */
  static Object read(Object from, String... path) {
    Object value = from;
    for (String accessor : path) {
      try {
        value = interfaceMethod(value, accessor).invoke(value);
      } catch (IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
        throw new AssertionError("cannot read " + accessor + " of " + value, e);
      }
    }
    return value;
  }

  /** A map's entry by key, for {@link #read} chains through {@code Map}s. */
  static Object entry(Object map, String key) {
    return ((Map<?, ?>) map).get(key);
  }

  /** A mapping's accessor through its interface: the generated class itself is not public. */
  private static java.lang.reflect.Method interfaceMethod(Object value, String name)
      throws NoSuchMethodException {
    for (Class<?> type : value.getClass().getInterfaces()) {
      for (var method : type.getMethods()) {
        if (method.getName().equals(name) && method.getParameterCount() == 0) {
          method.setAccessible(true);
          return method;
        }
      }
    }
    return value.getClass().getMethod(name); // a public class such as MemorySize
  }

  private static Class<?> load(ClassLoader loader, String name) {
    try {
      return Class.forName(name, true, loader);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name + " is not in the built service", e);
    }
  }

  /**
   * The service's own classes and libraries; SmallRye Config itself from this module's classpath.
   */
  private static ClassLoader fastJarLoader(String service) {
    Path app = BuildOutput.quarkusApp(service);
    List<URL> urls = new ArrayList<>();
    try (Stream<Path> jars =
        Stream.concat(Files.list(app.resolve("app")), Files.list(app.resolve("lib/main")))) {
      for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
        urls.add(jar.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new URLClassLoader(urls.toArray(URL[]::new), ServiceConfig.class.getClassLoader());
  }
}
