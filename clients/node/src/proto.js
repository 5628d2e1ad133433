// Loads heartbeat.v1 and makes clients of HeartbeatService. int64 fields (sequences, fencing
// tokens, lease transitions) arrive as decimal strings (longs: String): exact beyond 2^53.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

/** The copy a packed package carries (scripts/copy-proto.js, run by `npm pack`). */
const PACKED = path.join(__dirname, '..', 'proto', 'heartbeat', 'v1', 'heartbeat.proto');
/** The service's own .proto, read in place in the repository. */
const IN_REPO = path.join(__dirname, '..', '..', '..', 'heartbeat-grpc', 'src', 'main', 'proto',
  'heartbeat', 'v1', 'heartbeat.proto');
const LOAD_OPTIONS = Object.freeze({ keepCase: true, longs: String, enums: String, defaults: true,
  oneofs: true });
/** Pings every 30 s, without calls too: the server permits one every 10 s. */
const CHANNEL_OPTIONS = Object.freeze({ 'grpc.keepalive_time_ms': 30000,
  'grpc.keepalive_timeout_ms': 10000, 'grpc.keepalive_permit_without_calls': 1 });

const definitions = new Map(); // one per .proto file: a handful at most

/** The .proto to load: the one given, else HEARTBEAT_PROTO, else the packed copy, else the repo's. */
function protoPath(given) {
  const file = given ?? process.env.HEARTBEAT_PROTO
    ?? (fs.existsSync(PACKED) ? PACKED : IN_REPO);
  if (!fs.existsSync(file)) {
    throw new Error(`protoPath: no heartbeat.proto at ${file}`);
  }
  return file;
}

/** The package definition of heartbeat.v1 (as @grpc/proto-loader gives it), loaded once. */
function definition(given) {
  const file = protoPath(given);
  let def = definitions.get(file);
  if (def === undefined) {
    def = loader.loadSync(file, LOAD_OPTIONS);
    definitions.set(file, def);
  }
  return def;
}

/**
 * A client of heartbeat.v1.HeartbeatService at `address` (host:port).
 * options: protoPath, credentials (default insecure), channelOptions (merged over the keepalive
 * defaults).
 */
function connect(address, options = {}) {
  if (typeof address !== 'string' || address.length === 0) {
    throw new TypeError(`address must be host:port, got ${JSON.stringify(address)}`);
  }
  const v1 = grpc.loadPackageDefinition(definition(options.protoPath)).heartbeat.v1;
  return new v1.HeartbeatService(address, options.credentials ?? grpc.credentials.createInsecure(),
    { ...CHANNEL_OPTIONS, ...(options.channelOptions ?? {}) });
}

/** Call metadata: the bearer token when one is given. */
function metadata(bearerToken) {
  const m = new grpc.Metadata();
  if (bearerToken !== undefined) {
    m.set('authorization', `Bearer ${bearerToken}`);
  }
  return m;
}

/** A google.protobuf.Duration of `ms` milliseconds. */
function duration(ms) {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

/** A unary call as a promise, with a deadline `ms` from now. */
function unary(client, method, request, meta, ms) {
  return new Promise((resolve, reject) => {
    client[method](request, meta, { deadline: new Date(Date.now() + ms) },
      (err, reply) => (err ? reject(err) : resolve(reply)));
  });
}

/** Compares two int64 decimal strings (fencing tokens) exactly: -1, 0 or 1. */
function compareTokens(a, b) {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

function positiveInt(name, value) {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}

function nonBlank(name, value) {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new TypeError(`${name} must be a non-blank string, got ${JSON.stringify(value)}`);
  }
  return value;
}

module.exports = { PACKED, IN_REPO, LOAD_OPTIONS, CHANNEL_OPTIONS, protoPath, definition, connect,
  metadata, duration, unary, compareTokens, positiveInt, nonBlank };
