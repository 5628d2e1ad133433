package dev.heartbeat.core;

import java.lang.management.ManagementFactory;
import java.util.OptionalDouble;

/** The process's recent CPU utilisation, from the platform MXBean; empty when unknown. */
final class Cpu {
  private static final java.lang.management.OperatingSystemMXBean OS =
      ManagementFactory.getOperatingSystemMXBean();

  private Cpu() {}

  static OptionalDouble processLoad() {
    if (OS instanceof com.sun.management.OperatingSystemMXBean sun) {
      double load = sun.getProcessCpuLoad();
      if (load >= 0 && load <= 1) {
        return OptionalDouble.of(load);
      }
    }
    return OptionalDouble.empty();
  }
}
