package dev.heartbeat.grpc;

import dev.heartbeat.Lease;
import dev.heartbeat.grpc.v1.LeaseReply;
import dev.heartbeat.spi.StoreProblem;
import java.util.Optional;

/** Leases and store problems to and from their messages. */
final class LeaseProtos {
  private LeaseProtos() {}

  static dev.heartbeat.grpc.v1.Lease of(Lease l) {
    return dev.heartbeat.grpc.v1.Lease.newBuilder().setName(l.name()).setHolder(l.holder())
        .setToken(l.token()).setAcquiredAt(Times.of(l.acquiredAt()))
        .setRenewedAt(Times.of(l.renewedAt())).setExpiresAt(Times.of(l.expiresAt()))
        .setTransitions(l.transitions()).build();
  }

  static Lease lease(dev.heartbeat.grpc.v1.Lease m) {
    return new Lease(m.getName(), m.getHolder(), m.getToken(), Times.instant(m.getAcquiredAt()),
        Times.instant(m.getRenewedAt()), Times.instant(m.getExpiresAt()), m.getTransitions());
  }

  static LeaseReply reply(Optional<Lease> lease) {
    LeaseReply.Builder m = LeaseReply.newBuilder();
    lease.ifPresent(l -> m.setLease(of(l)));
    return m.build();
  }

  static Optional<Lease> answer(LeaseReply m) {
    return m.hasLease() ? Optional.of(lease(m.getLease())) : Optional.empty();
  }

  static dev.heartbeat.grpc.v1.StoreProblem of(StoreProblem p) {
    return dev.heartbeat.grpc.v1.StoreProblem.newBuilder().setLocation(p.location())
        .setProblem(p.problem()).setSeenAt(Times.of(p.seenAt())).build();
  }

  static StoreProblem problem(dev.heartbeat.grpc.v1.StoreProblem m) {
    return new StoreProblem(m.getLocation(), m.getProblem(), Times.instant(m.getSeenAt()));
  }
}
