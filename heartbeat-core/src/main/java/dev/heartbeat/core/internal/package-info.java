/**
 * Not API: the parts of heartbeat-core that other code reaches without being the engine. The
 * service providers the service loader instantiates ({@link
 * dev.heartbeat.core.internal.CoreEngineProvider}, {@link
 * dev.heartbeat.core.internal.MemoryStoreProvider}), and {@link
 * dev.heartbeat.core.internal.CoreInternals}, the door to engine internals the benchmarks measure.
 * The module exports this package only to {@code dev.heartbeat.benchmarks}; nothing here is kept
 * compatible between versions.
 */
package dev.heartbeat.core.internal;
