package dev.heartbeat.benchmarks;

import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of this run's own on a free loopback port, without persistence, so that
 * its {@code INFO} CPU is only what the side under test costs (the shared server on 6379 serves
 * the other builds of the machine too). Stopped by {@link #close()} or when this JVM exits.
 */
final class PrivateRedis implements AutoCloseable {
  private final Process server;
  private final String uri;

  private PrivateRedis(Process server, String uri) {
    this.server = server;
    this.uri = uri;
  }

  static PrivateRedis start() throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process server = new ProcessBuilder("redis-server", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no")
        .redirectOutput(Redirect.DISCARD).redirectError(Redirect.INHERIT).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
    String uri = "redis://127.0.0.1:" + port;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      RedisClient client = RedisClient.create(uri);
      try (var c = client.connect()) {
        c.sync().ping();
        return new PrivateRedis(server, uri);
      } catch (RuntimeException e) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          server.destroyForcibly();
          throw new IllegalStateException("redis-server on port " + port + " did not answer in"
              + " 15 s (is /usr/bin/redis-server installed?)", e);
        }
        Thread.sleep(100);
      } finally {
        client.shutdown();
      }
    }
  }

  String uri() {
    return uri;
  }

  @Override
  public void close() throws InterruptedException {
    server.destroy();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }
}
