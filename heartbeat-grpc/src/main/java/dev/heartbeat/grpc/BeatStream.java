package dev.heartbeat.grpc;

import dev.heartbeat.grpc.v1.BeatReply;
import dev.heartbeat.grpc.v1.BeatRequest;
import io.grpc.stub.StreamObserver;

/**
 * One {@code BeatStream} call: every beat is recorded as {@code Beat} would record it (in the
 * server's next batch, see {@link BeatBatcher}) and answered in order; bad input, a full queue
 * or a failing store ends the stream with its status.
 */
final class BeatStream implements StreamObserver<BeatRequest> {
  private final StoreService service;
  private final StreamObserver<BeatReply> out;
  private boolean ended;

  BeatStream(StoreService service, StreamObserver<BeatReply> out) {
    this.service = service;
    this.out = out;
  }

  @Override
  public void onNext(BeatRequest request) {
    if (ended) {
      return; // gRPC delivers a call's messages one at a time, so no lock is needed
    }
    BeatReply reply;
    try {
      reply = service.record(request);
    } catch (RuntimeException e) {
      ended = true;
      out.onError(Calls.status(e));
      return;
    }
    out.onNext(reply);
  }

  @Override
  public void onError(Throwable t) {
    ended = true; // the client went away: nothing to answer
  }

  @Override
  public void onCompleted() {
    if (!ended) {
      ended = true;
      out.onCompleted();
    }
  }
}
