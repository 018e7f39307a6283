package dev.bulwark.deploy.chart;

import dev.bulwark.deploy.BuildOutput;
import dev.bulwark.deploy.images.Dockerfile;
import dev.bulwark.testing.ServiceProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service's container run as a process of this machine: its image's entrypoint and environment
 * (from the service's {@code Dockerfile.jvm}, with the image's {@code /deployments} being the built
 * fast-jar) with the pod's environment on top, as the container runtime starts it. Run and stopped
 * by testing's {@link ServiceProcess#launch}: by its pid on {@link #close()}, and by a shutdown
 * hook if the test JVM exits first.
 */
final class PodProcess implements AutoCloseable {

  private final ServiceProcess.Launched process;

  private PodProcess(ServiceProcess.Launched process) {
    this.process = process;
  }

  /**
   * Starts {@code service}'s image entrypoint with the image's ENV overlaid by {@code podEnv}. Only
   * the image's file system is replaced: {@code /deployments} (WORKDIR and the jar) by the
   * service's {@code target/quarkus-app}, and the image's JRE on PATH by this JVM's.
   */
  static PodProcess start(String service, Map<String, String> podEnv, Path logDir) {
    Dockerfile image =
        Dockerfile.read(BuildOutput.module(service).resolve("src/main/docker/Dockerfile.jvm"));
    String deployments = image.workdir().orElseThrow();
    String app = BuildOutput.quarkusApp(service).toString();
    List<String> command = new ArrayList<>();
    for (String word : image.entrypoint()) {
      command.add(word.replace(deployments, app));
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/sbin:/usr/bin:/sbin:/bin");
    env.putAll(imageEnv(image));
    env.putAll(podEnv);
    return new PodProcess(
        ServiceProcess.launch(
            service, command, Path.of(app), env, logDir.resolve(service + ".log")));
  }

  /** The image's ENV, with build arguments at their defaults substituted ({@code ${PG_MAJOR}}). */
  static Map<String, String> imageEnv(Dockerfile image) {
    Map<String, String> env = new LinkedHashMap<>();
    image
        .env()
        .forEach(
            (name, value) -> {
              String expanded = value;
              for (var arg : image.args().entrySet()) {
                expanded = expanded.replace("${" + arg.getKey() + "}", arg.getValue());
              }
              env.put(name, expanded);
            });
    return env;
  }

  boolean isRunning() {
    return process.isRunning();
  }

  long pid() {
    return process.pid();
  }

  String log() {
    return process.log();
  }

  /** SIGTERM, as the kubelet sends, then SIGKILL after 10 s. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return process.toString();
  }
}
