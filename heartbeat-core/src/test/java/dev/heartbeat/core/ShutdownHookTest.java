package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.HeartbeatsBuilder;
import dev.heartbeat.LeadershipListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: {@code closeOnShutdown()} closes an instance when the JVM exits without
 * {@code close()}. A child JVM elects itself and exits; what its listener prints tells.
 */
class ShutdownHookTest {

  /** The child: elects itself on the in-memory store, says so, and exits without close(). */
  public static void main(String[] args) throws Exception {
    HeartbeatsBuilder builder = Heartbeats.builder().uri("memory:").holderId("child");
    if (args.length > 0 && args[0].equals("hook")) {
      builder.closeOnShutdown();
    }
    Heartbeats hb = builder.build();
    java.util.concurrent.CountDownLatch heard = new java.util.concurrent.CountDownLatch(1);
    var lead = hb.leases().elect("l", LeadershipListener.of(
        lease -> {
          System.out.println("elected " + lease.token());
          heard.countDown();
        },
        (lease, why) -> System.out.println("revoked " + why)));
    if (!lead.awaitLeadership(Duration.ofSeconds(30)) || !heard.await(30, TimeUnit.SECONDS)) {
      System.out.println("not elected");
    }
    System.out.flush();
    System.exit(0);
  }

  private static String child(String mode) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        ShutdownHookTest.class.getName(), mode).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child exited").isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void aProcessExitingWithoutCloseResignsThroughTheHook() throws Exception {
    String out = child("hook");
    assertThat(out).contains("elected 1").contains("revoked RESIGNED");
  }

  @Test
  void withoutTheHookNothingResigns() throws Exception {
    String out = child("none");
    assertThat(out).contains("elected 1").doesNotContain("revoked");
  }
}
