// Bounded backoff, and bad options refused with the option's name and value. No server here:
// the agent and the candidate against a real server are MixedLanguageTest's (heartbeat-grpc).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Agent, Candidate, Backoff } = require('../src/index');

test('backoff doubles, stays within its bound, and resets', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()],
    [100, 200, 400, 800, 1000, 1000]);
  for (let i = 0; i < 100; i++) assert.ok(b.next() <= 1000);
  b.reset();
  assert.equal(b.next(), 100);
  const low = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
  assert.equal(low.next(), 50, 'full jitter keeps at least half');
});

test('bad options name the option and the value', () => {
  assert.throws(() => new Agent({ address: '127.0.0.1:1' }), /agentId must be .*undefined/);
  assert.throws(() => new Agent({ address: '127.0.0.1:1', agentId: 'a', intervalMs: 0 }),
    /intervalMs must be a positive number of milliseconds, got 0/);
  assert.throws(() => new Agent({ address: '127.0.0.1:1', agentId: 'a', cpuUtil: 2 }),
    /cpuUtil must be within 0..1, got 2/);
  assert.throws(() => new Agent({ address: '127.0.0.1:1', agentId: 'a', status: 'LEFT' }),
    /status must be IDLE or WORKING .*got LEFT/);
  assert.throws(() => new Candidate({ address: '127.0.0.1:1', name: 'l', holder: 'h',
    ttlMs: 3000, renewDeadlineMs: 3000 }), /renewDeadlineMs must be within .* got 3000/);
  assert.throws(() => new Backoff({ initialMs: 10, maxMs: 5 }), /maxMs must be at least/);
});

test('a candidate derives its timings from the TTL and is no leader before it starts', () => {
  const c = new Candidate({ address: '127.0.0.1:1', name: 'l', holder: 'h', ttlMs: 3000 });
  assert.equal(c.renewIntervalMs, 1000);
  assert.equal(c.renewDeadlineMs, 2000);
  assert.equal(c.isLeader, false);
  assert.equal(c.token, null);
  c.client.close();
});
