package dev.bulwark.deploy.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as its instructions, enough to check what it copies, exposes and runs as: line
 * continuations joined, comment lines dropped, keywords upper-cased.
 */
public record Dockerfile(List<Instruction> instructions) {

  /** name=value or name="value with spaces", several to an ENV. */
  private static final Pattern ENV_PAIR =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");

  /** One instruction: its keyword and the rest of its (joined) line. */
  record Instruction(String keyword, String arguments) {

    /** The whitespace-separated words of the arguments, flags first as written. */
    List<String> words() {
      return Arrays.asList(arguments.trim().split("\\s+"));
    }
  }

  /** One COPY: its sources (relative to the build context) and its destination. */
  record Copy(List<String> sources, String destination, boolean fromStage) {}

  public static Dockerfile read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static Dockerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      // Docker drops comment lines, even inside a continued instruction.
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      pending.append(trimmed);
      String joined = pending.toString().strip();
      pending.setLength(0);
      if (joined.isEmpty()) {
        continue;
      }
      String[] parts = joined.split("\\s+", 2);
      instructions.add(
          new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
    }
    return new Dockerfile(List.copyOf(instructions));
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  List<Copy> copies() {
    List<Copy> copies = new ArrayList<>();
    for (Instruction copy : all("COPY")) {
      List<String> words = copy.words();
      boolean fromStage = words.stream().anyMatch(w -> w.startsWith("--from="));
      List<String> paths = words.stream().filter(w -> !w.startsWith("--")).toList();
      copies.add(
          new Copy(paths.subList(0, paths.size() - 1), paths.get(paths.size() - 1), fromStage));
    }
    return copies;
  }

  /** The directory of the last WORKDIR, where the entrypoint runs. */
  public Optional<String> workdir() {
    List<Instruction> workdirs = all("WORKDIR");
    return workdirs.isEmpty()
        ? Optional.empty()
        : Optional.of(workdirs.get(workdirs.size() - 1).arguments().strip());
  }

  /** The user of the last USER instruction, which the container runs as. */
  Optional<String> user() {
    List<Instruction> users = all("USER");
    return users.isEmpty()
        ? Optional.empty()
        : Optional.of(users.get(users.size() - 1).arguments().strip());
  }

  List<Integer> exposedPorts() {
    return all("EXPOSE").stream()
        .flatMap(e -> e.words().stream())
        .map(p -> Integer.parseInt(p.replaceFirst("/tcp$", "")))
        .toList();
  }

  /** Build arguments and their defaults (empty when an ARG has none). */
  public Map<String, String> args() {
    Map<String, String> args = new LinkedHashMap<>();
    for (Instruction arg : all("ARG")) {
      String[] kv = arg.arguments().strip().split("=", 2);
      args.put(kv[0], kv.length > 1 ? unquote(kv[1]) : "");
    }
    return args;
  }

  /** Environment variables set with ENV name=value (several per instruction). */
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction instruction : all("ENV")) {
      var matcher = ENV_PAIR.matcher(instruction.arguments());
      while (matcher.find()) {
        env.put(matcher.group(1), unquote(matcher.group(2)));
      }
    }
    return env;
  }

  /** The ENTRYPOINT in exec form, as its array of words. */
  public List<String> entrypoint() {
    List<Instruction> entrypoints = all("ENTRYPOINT");
    if (entrypoints.isEmpty()) {
      return List.of();
    }
    try {
      JsonNode array =
          new ObjectMapper().readTree(entrypoints.get(entrypoints.size() - 1).arguments());
      List<String> words = new ArrayList<>();
      array.forEach(w -> words.add(w.asText()));
      return words;
    } catch (IOException e) {
      throw new IllegalArgumentException("ENTRYPOINT is not in exec (JSON array) form", e);
    }
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
