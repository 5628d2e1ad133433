package dev.heartbeat.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Process CPU time and wall time of the measured iterations of a single-shot benchmark, written
 * as one JSON line to the file named by the system property {@code hb.cpu.out} (the run script
 * sets it); JMH itself reports no CPU time.
 */
final class CpuLog {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private boolean measuring;
  private long cpuAt;
  private long wallAt;
  private long cpu;
  private long wall;
  private int shots;

  void before(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
    cpuAt = os.getProcessCpuTime();
    wallAt = System.nanoTime();
  }

  void after() {
    if (measuring) {
      cpu += os.getProcessCpuTime() - cpuAt;
      wall += System.nanoTime() - wallAt;
      shots++;
    }
  }

  void write(String bench, String store, int size) throws IOException {
    String out = System.getProperty("hb.cpu.out");
    if (out == null || shots == 0) {
      return;
    }
    String line = String.format(java.util.Locale.ROOT,
        "{\"bench\":\"%s\",\"store\":\"%s\",\"size\":%d,\"shots\":%d,\"cpuNanos\":%d,"
            + "\"wallNanos\":%d,\"cores\":%d}%n",
        bench, store, size, shots, cpu, wall, Runtime.getRuntime().availableProcessors());
    Files.writeString(Path.of(out), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
