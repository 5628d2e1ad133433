package dev.heartbeat.core;

import java.lang.management.ManagementFactory;

/** The process's recent CPU utilisation, from the platform MXBean, or -1 when unknown. */
final class Cpu {
  private static final java.lang.management.OperatingSystemMXBean OS =
      ManagementFactory.getOperatingSystemMXBean();

  private Cpu() {}

  static double processLoad() {
    if (OS instanceof com.sun.management.OperatingSystemMXBean sun) {
      double load = sun.getProcessCpuLoad();
      if (load >= 0 && load <= 1) {
        return load;
      }
    }
    return -1;
  }
}
