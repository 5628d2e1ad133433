// A Node agent on heartbeat.v1.HeartbeatService: registers, beats N times (unary Beat, timing
// each round trip), then a few beats on a BeatStream, then
// takes a lease. Usage: node beat.js PROTO ADDRESS AGENT N
'use strict';
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const [protoPath, address, agentId, countText] = process.argv.slice(2);
const count = Number(countText);
const definition = loader.loadSync(protoPath, { keepCase: true, longs: String, enums: String,
  defaults: true, oneofs: true });
const v1 = grpc.loadPackageDefinition(definition).heartbeat.v1;
const client = new v1.HeartbeatService(address, grpc.credentials.createInsecure());
const deadline = () => new Date(Date.now() + 5000);

function beat(method, sequence) {
  const request = { agent_id: agentId, incarnation: 'node-1', sequence: String(sequence),
    task_id: 'job-7', status: 'WORKING', progress: `step ${sequence}`, new_progress: true,
    cpu_util: 0.25, interval: { seconds: 1, nanos: 0 } };
  return new Promise((resolve, reject) => client[method](request, { deadline: deadline() },
    (err, reply) => (err ? reject(err) : resolve(reply))));
}

async function main() {
  await beat('Register', 0);
  const micros = [];
  for (let s = 1; s <= count; s++) {
    const start = process.hrtime.bigint();
    const reply = await beat('Beat', s);
    micros.push(Number(process.hrtime.bigint() - start) / 1000);
    if (reply.state.sequence !== String(s)) {
      throw new Error(`beat ${s} answered sequence ${reply.state.sequence}`);
    }
  }
  const stream = client.BeatStream({ deadline: deadline() });
  const replies = [];
  const done = new Promise((resolve, reject) => {
    stream.on('data', (r) => replies.push(r));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  for (let s = count + 1; s <= count + 3; s++) {
    stream.write({ agent_id: agentId, incarnation: 'node-1', sequence: String(s),
      task_id: 'job-7', status: 'WORKING', cpu_util: 0.5, interval: { seconds: 1, nanos: 0 } });
  }
  stream.end();
  await done;
  if (replies.length !== 3) {
    throw new Error(`the stream answered ${replies.length} beats of 3`);
  }
  const lease = await new Promise((resolve, reject) => client.TryAcquire({ name: 'node-lease',
    holder: agentId, ttl: { seconds: 30, nanos: 0 } }, { deadline: deadline() },
    (err, reply) => (err ? reject(err) : resolve(reply))));
  // int64 tokens arrive as decimal strings (longs: String): exact beyond 2^53
  if (typeof lease.lease.token !== 'string' || BigInt(lease.lease.token) < 1n) {
    throw new Error(`the lease came back with token ${lease.lease.token}`);
  }
  console.log(`lease node-lease token ${lease.lease.token}`);
  micros.sort((a, b) => a - b);
  const at = (q) => micros[Math.min(micros.length - 1, Math.floor(q * micros.length))].toFixed(0);
  console.log(`beat round trip over ${count} beats: p50 ${at(0.5)} us, p99 ${at(0.99)} us, `
    + `max ${micros[micros.length - 1].toFixed(0)} us`);
  client.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
