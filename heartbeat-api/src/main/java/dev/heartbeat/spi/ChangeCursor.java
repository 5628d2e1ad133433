package dev.heartbeat.spi;

/**
 * Where a reader of {@link HeartbeatStore#agentsChangedSince} stands in the store's own order of
 * changes. Opaque to everyone but the store that issued it: a position on the store's clock (the
 * database's beat time, less a safety overlap) or a store-assigned change number, never the
 * caller's clock. A reader passes back the cursor of its last answer; {@link #START} reads
 * everything. Handing a cursor to a store other than the one that issued it is undefined (at
 * worst it reads too much or too little until the reader's next full read).
 *
 * @param position the store's position; {@link Long#MIN_VALUE} is the start
 */
public record ChangeCursor(long position) {
  /** Before every change: a read from here is a full read. */
  public static final ChangeCursor START = new ChangeCursor(Long.MIN_VALUE);

  /**
   * Whether this is {@link #START}.
   *
   * @return whether this is {@link #START}
   */
  public boolean isStart() {
    return position == Long.MIN_VALUE;
  }
}
