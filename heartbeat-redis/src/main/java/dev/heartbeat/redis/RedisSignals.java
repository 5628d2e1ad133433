package dev.heartbeat.redis;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.TaskSignalHub;
import dev.heartbeat.spi.TaskSignals;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task signals of the Redis store ({@link TaskOps#signals()}), on sharded pub/sub (Redis 7):
 * the scripts that leave a task in INBOX publish with {@code SPUBLISH} to the queue's channel
 * ({@link Keys#signal}, under the queue's hash tag: on a cluster it lives on the queue's shard),
 * inside the script, so a signal goes out with its write and never before it. The store listens
 * on one pub/sub connection of its client (on a cluster, Lettuce's cluster pub/sub connection,
 * which sends each {@code SSUBSCRIBE} to its channel's node), opened at the first subscription:
 * one {@code SSUBSCRIBE} per queue when its first listener comes (awaited, so a write after
 * {@link #subscribe} returns is heard), one {@code SUNSUBSCRIBE} when its last one leaves;
 * listeners are fanned out by a {@link TaskSignalHub} on Lettuce's event loop thread.
 *
 * <p>When the connection drops, Lettuce makes it again and subscribes again; what was published
 * meanwhile is lost, so each confirmation of such a re-subscription (one not asked for by
 * {@link #subscribe}: each channel counts the confirmations it still owes) signals its queue
 * once. The loss and the recovery are logged once each per change of state. Bounded: at most
 * {@value TaskSignalHub#MAX} subscriptions, so as many channels; every wait by the command
 * timeout.
 */
final class RedisSignals implements TaskSignals, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSignals.class);

  private final RedisLink link;
  private final Keys keys;
  private final TaskSignalHub hub;
  private final ReentrantLock lock = new ReentrantLock();
  /** The channels listened to, by name: read on Lettuce's thread, written under the lock. */
  private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
  private final AtomicBoolean down = new AtomicBoolean();
  private final RedisConnectionStateListener state = new State();
  private volatile StatefulRedisPubSubConnection<String, String> connection; // written under lock
  private boolean closed; // guarded by lock

  /** One channel: its queue, and how many confirmations of this store's SSUBSCRIBE it owes. */
  private record Channel(String queue, AtomicInteger owed) {}

  RedisSignals(RedisLink link, Keys keys) {
    this.link = link;
    this.keys = keys;
    this.hub = new TaskSignalHub(link.describe());
  }

  @Override
  public Subscription subscribe(String queue, Runnable listener) {
    Checks.id("queue", queue);
    Checks.notNull("listener", listener);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(link.describe() + " is closed, and its task signals with"
            + " it; cannot subscribe to '" + queue + "'");
      }
      Subscription inHub = hub.subscribe(queue, listener);
      try {
        listen(queue);
      } catch (RuntimeException e) {
        inHub.close();
        throw e;
      }
      return new Listener(queue, inHub);
    } finally {
      lock.unlock();
    }
  }

  /** Subscribes to {@code queue}'s channel unless already listening; waits for the answer. */
  private void listen(String queue) {
    String channel = keys.signal(queue);
    if (channels.containsKey(channel)) {
      return;
    }
    StatefulRedisPubSubConnection<String, String> c = connection();
    channels.put(channel, new Channel(queue, new AtomicInteger(1)));
    try {
      link.await(c.async().ssubscribe(channel), "subscribe(" + queue + ")");
      LOG.debug("{}: listening for the task signals of '{}'", link.describe(), queue);
    } catch (RuntimeException e) {
      channels.remove(channel);
      throw e;
    }
  }

  private StatefulRedisPubSubConnection<String, String> connection() {
    if (connection == null) {
      try {
        connection = open(link.client());
      } catch (RuntimeException e) {
        throw new HeartbeatStoreException(link.describe(), "connect for task signals",
            RedisLink.reason(e));
      }
    }
    return connection;
  }

  private StatefulRedisPubSubConnection<String, String> open(AbstractRedisClient client) {
    if (client instanceof RedisClusterClient cluster) {
      StatefulRedisClusterPubSubConnection<String, String> c = cluster.connectPubSub();
      c.setNodeMessagePropagation(true);
      c.addListener(new RedisClusterPubSubAdapter<String, String>() {
        @Override
        public void smessage(RedisClusterNode node, String channel, String message) {
          heard(channel);
        }

        @Override
        public void ssubscribed(RedisClusterNode node, String channel, long count) {
          confirmed(channel);
        }
      });
      client.addListener(state);
      return c;
    }
    StatefulRedisPubSubConnection<String, String> c = ((RedisClient) client).connectPubSub();
    c.addListener(new RedisPubSubAdapter<String, String>() {
      @Override
      public void smessage(String channel, String message) {
        heard(channel);
      }

      @Override
      public void ssubscribed(String channel, long count) {
        confirmed(channel);
      }
    });
    client.addListener(state);
    return c;
  }

  /** A message on {@code channel} (Lettuce's thread). */
  private void heard(String channel) {
    Channel c = channels.get(channel);
    LOG.debug("{}: a task signal on {}", link.describe(), channel);
    if (c != null) {
      hub.signal(c.queue());
    }
  }

  /**
   * A confirmation of {@code channel}'s subscription (Lettuce's thread): this store's own, or one
   * of Lettuce's re-subscription after a reconnect, which signals the queue.
   */
  private void confirmed(String channel) {
    Channel c = channels.get(channel);
    if (c == null || c.owed().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      return;
    }
    if (down.compareAndSet(true, false)) {
      LOG.info("{}: listening for task signals again; every subscribed queue is signalled once"
          + " for what was lost meanwhile", link.describe());
    } else {
      LOG.debug("{}: subscribed again to {}; signalling its queue", link.describe(), channel);
    }
    hub.signal(c.queue());
  }

  /** Leaves {@code queue}'s channel once its last listener left (under the lock). */
  private void leave(String queue) {
    if (hub.listened(queue) || channels.remove(keys.signal(queue)) == null || connection == null) {
      return;
    }
    try {
      link.await(connection.async().sunsubscribe(keys.signal(queue)), "unsubscribe(" + queue + ")");
    } catch (HeartbeatStoreException e) {
      // disconnected: nothing is heard on it anyway; Lettuce may subscribe it again, unheard
      LOG.debug("{}: could not leave the task signals of '{}'", link.describe(), queue, e);
    }
  }

  @Override
  public void close() {
    StatefulRedisPubSubConnection<String, String> c;
    lock.lock();
    try {
      closed = true;
      c = connection;
      connection = null;
      channels.clear();
    } finally {
      lock.unlock();
    }
    if (c != null) {
      link.client().removeListener(state);
      c.close();
    }
  }

  /** One listener's subscription: leaves the hub, then the channel when it was the last one. */
  private final class Listener implements Subscription {
    private final String queue;
    private final Subscription inHub;
    private final AtomicBoolean closed = new AtomicBoolean();

    Listener(String queue, Subscription inHub) {
      this.queue = queue;
      this.inHub = inHub;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      inHub.close();
      lock.lock();
      try {
        leave(queue);
      } finally {
        lock.unlock();
      }
    }
  }

  /** Logs the loss of the pub/sub connection once per change of state. */
  private final class State implements RedisConnectionStateListener {
    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
      // recovered only once Lettuce has subscribed again: see confirmed
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
      if (c instanceof StatefulRedisPubSubConnection<?, ?> && ours(c)
          && down.compareAndSet(false, true)) {
        LOG.warn("{}: the connection for task signals dropped; signals are lost until Lettuce"
            + " makes it again (workers poll meanwhile)", link.describe());
      }
    }

    /**
     * Whether {@code c} is the store's connection; on a cluster, whose node connections Lettuce
     * keeps to itself, any pub/sub connection of the client counts. No lock: this runs on
     * Lettuce's thread, which a subscribe holding the lock may be waiting for.
     */
    private boolean ours(RedisChannelHandler<?, ?> c) {
      return c == connection || link.cluster();
    }
  }
}
