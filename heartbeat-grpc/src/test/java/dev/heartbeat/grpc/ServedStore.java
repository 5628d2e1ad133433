package dev.heartbeat.grpc;

import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.tck.ForwardingStore;

/**
 * A {@link GrpcStore} to a server in front of a fresh {@link MemoryStore}: the kit's calls go
 * over the network; closing it closes the client, the server and the memory store.
 */
final class ServedStore extends ForwardingStore {
  final MemoryStore backing;
  private final HeartbeatGrpcServer server;

  private ServedStore(GrpcStore client, HeartbeatGrpcServer server, MemoryStore backing) {
    super(client);
    this.server = server;
    this.backing = backing;
  }

  static ServedStore open(MemoryStore backing) {
    HeartbeatGrpcServer server = HeartbeatGrpcServer.start(backing, 0);
    GrpcStore client = GrpcStore.connect("127.0.0.1", server.port(), GrpcStore.DEFAULT_DEADLINE);
    return new ServedStore(client, server, backing);
  }

  @Override
  public void close() {
    store.close();
    server.close();
    backing.close();
  }
}
