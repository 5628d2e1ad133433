package dev.heartbeat.benchmarks.detection;

import java.util.Arrays;

/**
 * The simulator's events in time order: a binary min-heap of primitive longs, each one event
 * packed as {@code time << 22 | kind << 20 | agent} (time in microseconds, up to 2^41 µs, about 25
 * days; agents up to 2^20). One pending event per agent and kind at most, so the heap stays near
 * the number of agents however long the simulated run.
 */
final class EventQueue {
  static final int MAX_AGENTS = 1 << 20;
  static final long MAX_MICROS = 1L << 41;

  private long[] heap = new long[1024];
  private int size;

  /** Adds an event; returns it packed, as {@link #pop()} will return it. */
  long push(long timeNanos, int kind, int agent) {
    long micros = timeNanos / 1000;
    if (micros < 0 || micros >= MAX_MICROS || kind < 0 || kind > 3 || agent < 0
        || agent >= MAX_AGENTS) {
      throw new IllegalArgumentException("event out of range: time " + timeNanos + " ns, kind "
          + kind + ", agent " + agent);
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    long event = micros << 22 | (long) kind << 20 | agent;
    int i = size++;
    while (i > 0 && heap[(i - 1) / 2] > event) {
      heap[i] = heap[(i - 1) / 2];
      i = (i - 1) / 2;
    }
    heap[i] = event;
    return event;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The earliest event, not removed. */
  long peek() {
    return heap[0];
  }

  /** Removes and returns the earliest event. */
  long pop() {
    long top = heap[0];
    long last = heap[--size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= last) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  }

  static long timeNanos(long event) {
    return (event >>> 22) * 1000;
  }

  static int kind(long event) {
    return (int) (event >>> 20) & 3;
  }

  static int agent(long event) {
    return (int) event & (MAX_AGENTS - 1);
  }
}
