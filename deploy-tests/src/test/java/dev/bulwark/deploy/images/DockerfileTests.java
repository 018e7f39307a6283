package dev.bulwark.deploy.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.deploy.BuildOutput;
import dev.bulwark.deploy.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's {@code src/main/docker/Dockerfile.jvm} against its build output: no container
 * engine runs here, so what can be checked without one is checked on the file itself.
 */
class DockerfileTests {

  private static final String APP_DIR = "/deployments/";

  static Stream<String> services() {
    return BuildOutput.services();
  }

  private static Dockerfile dockerfile(String service) {
    Path file = BuildOutput.module(service).resolve("src/main/docker/Dockerfile.jvm");
    assertThat(file).as("%s's Dockerfile", service).isRegularFile();
    return Dockerfile.read(file);
  }

  @ParameterizedTest
  @MethodSource("services")
  void everyCopySourceIsInTheServicesBuildOutput(String service) {
    Path context = BuildOutput.module(service);
    BuildOutput.quarkusApp(service);
    List<Dockerfile.Copy> copies = dockerfile(service).copies();

    assertThat(copies).as("COPY instructions").isNotEmpty();
    for (Dockerfile.Copy copy : copies) {
      assertThat(copy.fromStage()).as("COPY --from (a single-stage build)").isFalse();
      for (String source : copy.sources()) {
        assertThat(context.resolve(source))
            .as("COPY source %s, relative to the build context %s/", source, service)
            .exists();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("services")
  void copiesTheWholeFastJarIntoTheDirectoryTheEntrypointRuns(String service) throws IOException {
    Path app = BuildOutput.quarkusApp(service);
    Path context = BuildOutput.module(service);
    Dockerfile dockerfile = dockerfile(service);
    List<String> copied = new ArrayList<>();
    for (Dockerfile.Copy copy : dockerfile.copies()) {
      for (String source : copy.sources()) {
        Path entry = context.resolve(source).normalize();
        // Each part lands under /deployments by its own name, where quarkus-run.jar expects it.
        assertThat(copy.destination().replaceFirst("/$", ""))
            .as("where %s is copied", source)
            .isEqualTo(APP_DIR + entry.getFileName());
        copied.add(app.relativize(entry).toString());
      }
    }

    // Everything the fast-jar needs at run time: quarkus-run.jar and the directories it reads.
    List<String> needed;
    try (Stream<Path> entries = Files.list(app)) {
      needed =
          entries
              .filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar"))
              .map(p -> p.getFileName().toString())
              .toList();
    }
    assertThat(copied).containsExactlyInAnyOrderElementsOf(needed);
    assertThat(dockerfile.all("WORKDIR").get(0).arguments().strip() + "/").isEqualTo(APP_DIR);
    assertThat(dockerfile.entrypoint())
        .as("ENTRYPOINT")
        .last()
        .asString()
        .contains("-jar " + APP_DIR + "quarkus-run.jar");
  }

  @ParameterizedTest
  @MethodSource("services")
  void runsAsUidAndGid1000(String service) {
    String user = dockerfile(service).user().orElseThrow(() -> new AssertionError("no USER"));

    assertThat(user.split(":")).as("USER uid:gid").containsExactly("1000", "1000");
  }

  @ParameterizedTest
  @MethodSource("services")
  void exposesExactlyThePortsTheServiceListensOn(String service) {
    JsonNode container = generatedContainer(service);
    List<Integer> configured = new ArrayList<>();
    container.path("ports").forEach(p -> configured.add(p.path("containerPort").asInt()));

    assertThat(configured).as("container ports of the generated Deployment").hasSize(2);
    assertThat(dockerfile(service).exposedPorts())
        .as("EXPOSE (http and management)")
        .containsExactlyInAnyOrderElementsOf(configured);
  }

  @ParameterizedTest
  @MethodSource("services")
  void sizesTheHeapByTheContainersMemory(String service) {
    Dockerfile dockerfile = dockerfile(service);

    assertThat(dockerfile.env().get("JAVA_OPTS")).contains("-XX:MaxRAMPercentage=");
    assertThat(dockerfile.entrypoint())
        .last()
        .asString()
        .contains("$JAVA_OPTS")
        .startsWith("exec ");
  }

  @Test
  void backupServiceInstallsThePostgresClientOfTheMajorItsBuildArgumentNames() {
    Dockerfile dockerfile = dockerfile("backup-service");

    assertThat(dockerfile.args()).containsEntry("PG_MAJOR", "17");
    assertThat(dockerfile.all("RUN"))
        .map(Dockerfile.Instruction::arguments)
        .anySatisfy(run -> assertThat(run).contains("postgresql-client-${PG_MAJOR}"));
    // bulwark.backup.pg-bin: where PgDumpBinary looks first for pg_dump and pg_restore.
    assertThat(dockerfile.env())
        .containsEntry("BULWARK_BACKUP_PG_BIN", "/usr/lib/postgresql/${PG_MAJOR}/bin");
  }

  @Test
  void onlyBackupServiceInstallsPackages() {
    for (String service : BuildOutput.SERVICES) {
      boolean installs =
          dockerfile(service).all("RUN").stream()
              .anyMatch(run -> run.arguments().contains("apt-get install"));
      assertThat(installs)
          .as("%s installs packages", service)
          .isEqualTo(service.equals("backup-service"));
    }
  }

  private static JsonNode generatedContainer(String service) {
    JsonNode deployment =
        YamlDocuments.find(
                YamlDocuments.read(BuildOutput.generatedManifests(service)), "Deployment", service)
            .orElseThrow(() -> new AssertionError("no Deployment " + service + " generated"));
    return deployment.path("spec").path("template").path("spec").path("containers").path(0);
  }
}
