package dev.heartbeat.core;

/** Work the ticker drives. Called only from the ticker thread. */
interface Tickable {
  /**
   * Does what is due at {@code nowNanos}.
   *
   * @return when it next needs the ticker (engine nanos), or {@link Long#MAX_VALUE}
   */
  long tick(long nowNanos);
}
