package dev.heartbeat.cli;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.grpc.HeartbeatGrpcServer;
import dev.heartbeat.grpc.HeartbeatGrpcServerBuilder;
import dev.heartbeat.spi.HeartbeatStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat serve}: serves a store over gRPC ({@code heartbeat.v1.HeartbeatService} and
 * {@code grpc.health.v1.Health}) with the stall detector running here, until stopped: interrupted,
 * or SIGTERM (a shutdown hook interrupts it and waits for it). Stopping drains first (health
 * {@code NOT_SERVING}), then lets running calls finish for a few seconds.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serves a store over gRPC (heartbeat.v1 and grpc.health.v1) until stopped; "
        + "agents in any language beat through it, JVM processes open it as grpc://HOST:PORT.")
final class ServeCommand implements Callable<Integer> {
  /** How long the shutdown hook waits for the server to stop. */
  static final Duration STOP_WAIT = Duration.ofSeconds(15);

  private final Cli cli;

  @Option(names = "--store", paramLabel = "URI", required = true,
      description = "The store to serve: file:DIR, jdbc:URL, redis://HOST:PORT or memory: (kept "
          + "in this process). The password may come from $" + StoreUri.PASSWORD_ENV + ".")
  String store;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "50051",
      description = "The port (0: any free one). Default: 50051.")
  int port;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "The address to listen on. Default: 127.0.0.1 (this host only).")
  String bind;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Require the bearer token this file holds (one line) on every call but "
          + "health checks; clients open grpc://HOST:PORT?token=...")
  Path tokenFile;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Serve TLS with this PEM certificate chain (with --tls-key).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "The PEM (PKCS#8) private key of --tls-cert.")
  Path tlsKey;

  ServeCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new CliFailure(ExitCodes.USAGE, "--tls-cert and --tls-key go together: give both "
          + "or neither");
    }
    String token = token();
    StoreUri uri = StoreUri.parse(store, cli.env());
    Thread serving = Thread.currentThread();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      serving.interrupt();
      try {
        stopped.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "heartbeat-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (HeartbeatStore opened = uri.open();
        Heartbeats hb = Heartbeats.builder().store(opened)
            .holderId("heartbeat-serve-" + ProcessHandle.current().pid()).build();
        HeartbeatGrpcServer server = server(opened, hb, token)) {
      cli.out().println("serve: " + uri.shown() + " on " + server.uri()
          + (token == null ? "" : " (bearer token required)"));
      cli.out().flush();
      try {
        while (!Thread.currentThread().isInterrupted()) {
          cli.pacer().pause(Duration.ofSeconds(1));
        }
      } catch (InterruptedException e) {
        // the stop: fall through to a graceful close
      }
      Thread.interrupted(); // closing waits for running calls, which an interrupt would cut short
      server.drain();
      cli.out().println("serve: stopping");
      cli.out().flush();
    } catch (HeartbeatStoreException e) {
      throw new CliFailure(ExitCodes.UNREACHABLE, "cannot serve on " + bind + ":" + port + ": "
          + uri.redactor().redact(e.getMessage()), e);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, uri.redactor().redact(e.getMessage()), e);
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for the count down above
      }
    }
    return ExitCodes.OK;
  }

  private HeartbeatGrpcServer server(HeartbeatStore opened, Heartbeats hb, String token) {
    HeartbeatGrpcServerBuilder b = HeartbeatGrpcServer.builder(opened).bind(bind).port(port)
        .detector(hb.detector());
    if (token != null) {
      try {
        b.token(token);
      } catch (IllegalArgumentException e) {
        throw new CliFailure(ExitCodes.USAGE, "--token-file " + tokenFile + ": "
            + e.getMessage(), e);
      }
    }
    if (tlsCert != null) {
      b.tls(tlsCert, tlsKey);
    }
    return b.start();
  }

  private String token() {
    if (tokenFile == null) {
      return null;
    }
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "--token-file " + tokenFile + " cannot be read: "
          + e.getClass().getSimpleName(), e);
    }
    if (token.isEmpty() || token.contains("\n")) {
      throw new CliFailure(ExitCodes.USAGE, "--token-file " + tokenFile + " must hold one "
          + "line, the token");
    }
    return token;
  }
}
