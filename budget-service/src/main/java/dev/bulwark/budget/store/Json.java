package dev.bulwark.budget.store;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** Converts string maps (scopes, labels) to and from jsonb values. */
final class Json {

  private Json() {}

  static JsonObject of(Map<String, String> map) {
    JsonObject json = new JsonObject();
    new TreeMap<>(map).forEach(json::put);
    return json;
  }

  static Map<String, String> toMap(JsonObject json) {
    Map<String, String> map = new TreeMap<>();
    if (json != null) {
      json.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return map;
  }
}
