/**
 * The contract kit every heartbeat store passes: abstract JUnit 5 test classes layered by
 * capability, a jqwik property against a reference model, a manual clock, and fault injection
 * (a store link that fails or hangs, a TCP proxy that cuts or black-holes connections).
 */
module dev.heartbeat.tck {
  requires transitive dev.heartbeat.core;
  requires transitive org.junit.jupiter.api;
  requires transitive net.jqwik.api;
  requires transitive org.assertj.core;

  exports dev.heartbeat.tck;
}
