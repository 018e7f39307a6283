package dev.bulwark.failover.leadership;

import java.util.Map;

/** Publishes members' roles where clients route by them (pod labels in Kubernetes). */
public interface RoleLabels {

  /** Nothing to label: outside Kubernetes routing goes through the probe endpoints. */
  RoleLabels NONE = (group, roles) -> {};

  /** Sets each member's role label ({@code primary}, {@code standby}, {@code fenced}). */
  void publish(String group, Map<String, String> roleByMember);
}
