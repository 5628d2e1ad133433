package dev.heartbeat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The README's demo, end to end in real time: a failover with a rising fencing token. */
class FailoverDemoTest {
  @Test
  void theDemoShowsAFailoverWithAHigherToken() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    System.setOut(new PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      code = FailoverDemo.run();
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("elected leader, fencing token 1", "revoked (RESIGNED), token 1",
        "elected leader, fencing token 2", "fencing token 1 -> 2", "LEFT");
  }
}
