package dev.heartbeat.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code /events} clients, at most {@code maxClients}: {@link #publish} formats one
 * server-sent event and offers it to every client without blocking; clients too slow to keep
 * their queue from filling are dropped.
 */
final class EventHub {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final List<EventStream> clients = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong droppedClients = new AtomicLong();
  private final int maxClients;

  EventHub(int maxClients) {
    this.maxClients = maxClients;
  }

  ObjectNode node() {
    return MAPPER.createObjectNode();
  }

  /** Adds a client, or {@code false} when there are already {@code maxClients}. */
  boolean join(EventStream client) {
    synchronized (clients) {
      if (clients.size() >= maxClients) {
        return false;
      }
      clients.add(client);
      return true;
    }
  }

  void leave(EventStream client) {
    clients.remove(client);
  }

  /** Sends {@code data} as an event of type {@code type} to every client; never blocks. */
  void publish(String type, ObjectNode data) {
    String text;
    try {
      text = "id: " + ids.incrementAndGet() + "\nevent: " + type + "\ndata: "
          + MAPPER.writeValueAsString(data) + "\n\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a " + type + " event", e);
    }
    for (EventStream c : clients) {
      if (!c.offer(text)) {
        clients.remove(c);
        droppedClients.incrementAndGet();
      }
    }
  }

  int clients() {
    return clients.size();
  }

  long dropped() {
    return droppedClients.get();
  }

  void close() {
    for (EventStream c : clients) {
      c.drop();
    }
    clients.clear();
  }
}
