package dev.heartbeat.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on loopback that puts faults between a store and its server: it forwards
 * {@code 127.0.0.1:port()} to a target on loopback and can, at any moment,
 * <ul>
 *   <li>{@link #cutAll()}: close every open connection (new ones are forwarded as before);</li>
 *   <li>{@link #refuse()}: close every open connection and every new one at once (server down);</li>
 *   <li>{@link #blackHole()}: accept and read everything, forward and answer nothing (a hung
 *       server or a partitioned network; callers hang until their own timeouts);</li>
 *   <li>{@link #delay(Duration)}: hold every chunk for a while before forwarding it;</li>
 *   <li>{@link #heal()}: forward normally again; connections that were black-holed are closed,
 *       since the bytes they swallowed left their protocol out of step.</li>
 * </ul>
 * Plain {@code java.net} sockets, two virtual threads per connection. Test code: it listens on
 * and connects to loopback only. Thread-safe; {@link #close()} closes everything.
 */
public final class FaultProxy implements AutoCloseable {
  private enum Mode { FORWARD, REFUSE, BLACK_HOLE }

  /** One proxied connection: the client's socket and, unless black-holed from birth, upstream. */
  private record Link(Socket client, Socket upstream) {
    void close() {
      closeQuietly(client);
      if (upstream != null) {
        closeQuietly(upstream);
      }
    }
  }

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.FORWARD);
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private final AtomicLong swallowed = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("fault-proxy-accept-" + server.getLocalPort()).start(this::acceptLoop);
  }

  /**
   * Starts a proxy to {@code 127.0.0.1:targetPort} on a free loopback port.
   *
   * @param targetPort the port on 127.0.0.1 to forward to
   * @return the running proxy
   * @throws UncheckedIOException when no port can be opened
   */
  public static FaultProxy to(int targetPort) {
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort must be in [1, 65535], got " + targetPort);
    }
    try {
      return new FaultProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The loopback port clients connect to.
   *
   * @return the loopback port clients connect to
   */
  public int port() {
    return server.getLocalPort();
  }

  /** Closes every open connection now; later connections are forwarded as before. */
  public void cutAll() {
    for (Link link : links) {
      link.close();
    }
    links.clear();
  }

  /** Closes every open connection and, until {@link #heal()}, every new one at once. */
  public void refuse() {
    mode.set(Mode.REFUSE);
    cutAll();
  }

  /** Until {@link #heal()}, reads and discards everything on every connection, old and new. */
  public void blackHole() {
    mode.set(Mode.BLACK_HOLE);
  }

  /**
   * Holds every forwarded chunk for {@code by} (zero for none), in both directions.
   *
   * @param by how long each chunk of bytes is held back
   */
  public void delay(Duration by) {
    if (by == null || by.isNegative()) {
      throw new IllegalArgumentException("by must be zero or positive, got " + by);
    }
    delay.set(by);
  }

  /** Forwards normally again, without delay; closes connections that were black-holed. */
  public void heal() {
    Mode was = mode.getAndSet(Mode.FORWARD);
    delay.set(Duration.ZERO);
    if (was == Mode.BLACK_HOLE) {
      cutAll();
    }
  }

  /**
   * Bytes read and discarded while black-holed.
   *
   * @return the bytes discarded so far
   */
  public long swallowed() {
    return swallowed.get();
  }

  /**
   * Connections accepted since start.
   *
   * @return the number of connections accepted
   */
  public long accepted() {
    return accepted.get();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    cutAll();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      Thread.ofVirtual().name("fault-proxy-link-" + port()).start(() -> open(client));
    }
  }

  private void open(Socket client) {
    Mode now = mode.get();
    if (now == Mode.REFUSE || closed) {
      closeQuietly(client);
      return;
    }
    Socket upstream = null;
    if (now == Mode.FORWARD) {
      upstream = new Socket();
      try {
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        return;
      }
    }
    Link link = new Link(client, upstream);
    links.add(link);
    if (upstream != null) {
      Socket up = upstream;
      Thread.ofVirtual().name("fault-proxy-down-" + port()).start(() -> pump(link, up, client));
    }
    pump(link, client, upstream);
  }

  /** Copies {@code from} to {@code to} (null: discard) until either side closes. */
  private void pump(Link link, Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to == null ? null : to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (out == null || mode.get() == Mode.BLACK_HOLE) {
          swallowed.addAndGet(n);
          continue;
        }
        Duration hold = delay.get();
        if (!hold.isZero()) {
          Thread.sleep(hold);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // a side closed or was cut
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      links.remove(link);
      link.close();
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  @Override
  public String toString() {
    return "FaultProxy 127.0.0.1:" + port() + " -> " + target + " (" + mode.get() + ")";
  }
}
