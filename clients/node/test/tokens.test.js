// int64 fields (fencing tokens, sequences) survive the wire exactly above 2^53 (Number cannot
// hold 2^53 + 1), encoded and decoded with the service's own message definitions.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { definition, compareTokens, LOAD_OPTIONS } = require('../src/index');

const service = () => definition()['heartbeat.v1.HeartbeatService'];
const ABOVE_2_53 = '9007199254740993'; // 2^53 + 1
const MAX_INT64 = '9223372036854775807';

test('the proto is loaded with longs as strings', () => {
  assert.equal(LOAD_OPTIONS.longs, String);
  assert.notEqual(Number(ABOVE_2_53).toString(), ABOVE_2_53, 'a Number would round it');
});

test('a renewal carries a token above 2^53 exactly', () => {
  const renew = service().Renew;
  const wire = renew.requestSerialize({ name: 'leader', holder: 'n1', token: ABOVE_2_53,
    ttl: { seconds: '15', nanos: 0 } });
  const back = renew.requestDeserialize(wire);
  assert.equal(back.token, ABOVE_2_53);
  assert.equal(typeof back.token, 'string');
});

test('a lease answered with the largest int64 token arrives exactly', () => {
  const acquire = service().TryAcquire;
  const wire = acquire.responseSerialize({ lease: { name: 'leader', holder: 'n1',
    token: MAX_INT64, transitions: ABOVE_2_53 } });
  const reply = acquire.responseDeserialize(wire);
  assert.equal(reply.lease.token, MAX_INT64);
  assert.equal(reply.lease.transitions, ABOVE_2_53);
  assert.equal(BigInt(reply.lease.token), 2n ** 63n - 1n);
});

test('a beat sequence above 2^53 round trips', () => {
  const beat = service().Beat;
  const back = beat.requestDeserialize(beat.requestSerialize({ agent_id: 'a', incarnation: 'a-1',
    sequence: ABOVE_2_53, status: 'WORKING' }));
  assert.equal(back.sequence, ABOVE_2_53);
  assert.equal(back.status, 'WORKING');
});

test('tokens compare exactly where Numbers would be equal', () => {
  assert.equal(Number('9007199254740992'), Number(ABOVE_2_53));
  assert.equal(compareTokens('9007199254740992', ABOVE_2_53), -1);
  assert.equal(compareTokens(ABOVE_2_53, '9007199254740992'), 1);
  assert.equal(compareTokens(MAX_INT64, MAX_INT64), 0);
});
