package dev.bulwark.deploy.chart;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Paths of fields that a parsed fabric8 object keeps in its {@code additionalProperties}: fields
 * the Kubernetes API does not have, such as a misspelt {@code readinesProbe}, which the API server
 * would drop or refuse.
 */
final class UnknownFields {

  private UnknownFields() {}

  static List<String> of(Object object) {
    List<String> found = new ArrayList<>();
    walk(object, object.getClass().getSimpleName(), found);
    return found;
  }

  private static void walk(Object node, String path, List<String> found) {
    if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", found);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> walk(value, path + "." + key, found));
      return;
    }
    if (node == null || !node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value = invoke(getter, node);
      String field = path + "." + decapitalize(getter.getName().substring(3));
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(key -> found.add(path + "." + key));
        }
      } else {
        walk(value, field, found);
      }
    }
  }

  private static Object invoke(Method getter, Object node) {
    try {
      return getter.invoke(node);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + getter, e);
    }
  }

  private static String decapitalize(String name) {
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
