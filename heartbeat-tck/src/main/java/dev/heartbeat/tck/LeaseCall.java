package dev.heartbeat.tck;

/**
 * One lease call that a thread of {@link ConcurrentLeaseRun} made, what the store answered, and
 * when: {@code invoked} was drawn from one shared counter just before the call and
 * {@code returned} just after it, so a call whose {@code returned} is below another's
 * {@code invoked} happened before it in real time, and calls whose intervals overlap ran at once.
 *
 * @param thread the thread that made it, or -1 for the driver (time moves)
 */
record LeaseCall(int thread, Request request, Answer answer, long invoked, long returned) {

  /** What is called. {@code RENEW_ALL} is one element of a batch, atomic on its own. */
  enum Kind { ACQUIRE, RENEW, RENEW_ALL, RELEASE, READ, ADVANCE }

  /**
   * The call's arguments. Leases and holders are numbers: lease {@code 0} is named {@code l0},
   * holder {@code 1} is {@code h1}; {@code seconds} is the TTL, or how far time moves.
   */
  record Request(Kind kind, int lease, int holder, long token, int seconds) {
    static Request advance(int seconds) {
      return new Request(Kind.ADVANCE, -1, -1, 0, seconds);
    }

    @Override
    public String toString() {
      String l = "l" + lease;
      String h = "h" + holder;
      return switch (kind) {
        case ACQUIRE -> "tryAcquire(" + l + ", " + h + ", " + seconds + "s)";
        case RENEW -> "renew(" + l + ", " + h + ", token " + token + ", " + seconds + "s)";
        case RENEW_ALL -> "renewAll[..(" + l + ", " + h + ", token " + token + ", " + seconds
            + "s)..]";
        case RELEASE -> "release(" + l + ", " + h + ", token " + token + ")";
        case READ -> "lease(" + l + ")";
        case ADVANCE -> "time.advance(" + seconds + "s)";
      };
    }
  }

  /**
   * The store's answer: {@code ok} is "present" or {@code true}; for a lease returned,
   * {@code holder}, {@code token} and {@code ttl} (whole seconds) are its fields.
   */
  record Answer(boolean ok, int holder, long token, int ttl) {
    static final Answer NO = new Answer(false, -1, 0, 0);
    static final Answer YES = new Answer(true, -1, 0, 0);

    static Answer lease(int holder, long token, int ttl) {
      return new Answer(true, holder, token, ttl);
    }
  }

  /** One readable line: id, tickets, thread, call and answer. */
  String line(int id) {
    String who = thread < 0 ? "driver" : "t" + thread;
    return String.format("c%-3d [%3d,%3d] %-6s %s%s", id, invoked, returned, who, request,
        answerText());
  }

  private String answerText() {
    return switch (request.kind()) {
      case ACQUIRE -> answer.ok() ? " -> token " + answer.token() + " for h" + answer.holder()
          : " -> empty";
      case RENEW, RENEW_ALL -> answer.ok() ? " -> renewed, token " + answer.token() : " -> empty";
      case RELEASE -> " -> " + answer.ok();
      case READ -> answer.ok() ? " -> h" + answer.holder() + " token " + answer.token() + " ttl "
          + answer.ttl() + "s" : " -> empty";
      case ADVANCE -> "";
    };
  }
}
