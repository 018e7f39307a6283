package dev.bulwark.deploy.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment the kubelet gives a rendered container, resolved as Kubernetes does: {@code
 * envFrom} first, then {@code env} on top; secretKeyRef and configMapKeyRef read from the given
 * Secrets and the chart's own ConfigMaps; an optional reference whose key is missing leaves the
 * variable unset, a required one fails as the kubelet would (CreateContainerConfigError).
 */
record PodEnvironment(RenderedChart chart, TestSecrets secrets) {

  Map<String, String> of(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : container.getEnvFrom()) {
      String prefix = Optional.ofNullable(from.getPrefix()).orElse("");
      if (from.getConfigMapRef() != null) {
        configMap(from.getConfigMapRef().getName())
            .getData()
            .forEach((key, value) -> env.put(prefix + key, value));
      }
      if (from.getSecretRef() != null) {
        secrets
            .secret(from.getSecretRef().getName())
            .orElseThrow(() -> missing("Secret " + from.getSecretRef().getName(), container))
            .forEach((key, value) -> env.put(prefix + key, value));
      }
    }
    for (EnvVar var : container.getEnv()) {
      value(var, container).ifPresent(value -> env.put(var.getName(), value));
    }
    return env;
  }

  private Optional<String> value(EnvVar var, Container container) {
    if (var.getValueFrom() == null) {
      return Optional.ofNullable(var.getValue()).or(() -> Optional.of(""));
    }
    SecretKeySelector secret = var.getValueFrom().getSecretKeyRef();
    if (secret != null) {
      Optional<String> value = secrets.value(secret.getName(), secret.getKey());
      if (value.isEmpty() && !Boolean.TRUE.equals(secret.getOptional())) {
        throw missing(
            "key " + secret.getKey() + " of Secret " + secret.getName() + " for " + var.getName(),
            container);
      }
      return value;
    }
    ConfigMapKeySelector config = var.getValueFrom().getConfigMapKeyRef();
    if (config != null) {
      Optional<String> value =
          Optional.ofNullable(configMap(config.getName()).getData().get(config.getKey()));
      if (value.isEmpty() && !Boolean.TRUE.equals(config.getOptional())) {
        throw missing(
            "key "
                + config.getKey()
                + " of ConfigMap "
                + config.getName()
                + " for "
                + var.getName(),
            container);
      }
      return value;
    }
    throw new AssertionError(
        var.getName()
            + " of "
            + container.getName()
            + " comes from a source this test cannot give");
  }

  private ConfigMap configMap(String name) {
    return chart.all(ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rendered ConfigMap " + name));
  }

  private static AssertionError missing(String what, Container container) {
    return new AssertionError(
        container.getName() + " would not start: " + what + " does not exist (test Secrets)");
  }
}
