// A candidate for one lease: tries to acquire it every retryIntervalMs; once elected renews it
// every renewIntervalMs (a unary Renew with the fencing token), and steps down by itself when
// no renewal sent within renewDeadlineMs succeeded, before the store can give the lease to
// another holder (renewDeadlineMs < ttlMs). One call at a time; tokens are exact decimal strings.
'use strict';
const { EventEmitter } = require('node:events');
const { connect, metadata, duration, unary, positiveInt, nonBlank, compareTokens } =
  require('./proto');

/**
 * Events: 'elected' ({ name, token, lease }), 'revoked' ({ name, token, reason }) with reason
 * LOST (the store answered the lease is no longer ours), DEADLINE_PASSED (no renewal succeeded
 * in time) or RESIGNED (stop()), 'waiting' (an attempt found the lease held by another),
 * 'failed' (a call's error; the candidate goes on), 'stopped'.
 */
class Candidate extends EventEmitter {
  /**
   * options: address, name (the lease) and holder are required; ttlMs (15000), renewIntervalMs
   * (ttl/3), renewDeadlineMs (2 ttl/3), retryIntervalMs (ttl/3), deadlineMs of a call (5000),
   * bearerToken, protoPath, credentials, channelOptions, or a ready client.
   */
  constructor(options = {}) {
    super();
    this.address = nonBlank('address', options.address);
    this.name = nonBlank('name', options.name);
    this.holder = nonBlank('holder', options.holder);
    this.ttlMs = positiveInt('ttlMs', options.ttlMs ?? 15000);
    const third = Math.max(1, Math.floor(this.ttlMs / 3));
    this.renewIntervalMs = positiveInt('renewIntervalMs', options.renewIntervalMs ?? third);
    this.renewDeadlineMs = positiveInt('renewDeadlineMs', options.renewDeadlineMs ?? 2 * third);
    this.retryIntervalMs = positiveInt('retryIntervalMs', options.retryIntervalMs ?? third);
    this.deadlineMs = positiveInt('deadlineMs', options.deadlineMs ?? 5000);
    if (this.renewDeadlineMs <= this.renewIntervalMs || this.renewDeadlineMs >= this.ttlMs) {
      throw new RangeError(`renewDeadlineMs must be within (renewIntervalMs ${this.renewIntervalMs}, `
        + `ttlMs ${this.ttlMs}), got ${this.renewDeadlineMs}`);
    }
    this.meta = metadata(options.bearerToken);
    this.client = options.client ?? connect(this.address, options);
    this.ownsClient = options.client === undefined;
    this.lease = null; // the lease while leader
    this.lastToken = null; // the last token this candidate was elected with
    this.lastRenewedAt = 0; // when the last successful acquisition or renewal was sent
    this.timer = null;
    this.running = false;
    this.stopping = false;
    this.inFlight = null;
  }

  /** Leader: elected, and the last renewal that succeeded was sent within renewDeadlineMs. */
  get isLeader() {
    return this.lease !== null && Date.now() - this.lastRenewedAt < this.renewDeadlineMs;
  }

  /** The fencing token while leader (a decimal string), else null. */
  get token() {
    return this.lease === null ? null : this.lease.token;
  }

  start() {
    if (this.running || this.stopping) {
      throw new Error(`candidate ${this.holder} for ${this.name} was already started`);
    }
    this.running = true;
    this.schedule(0);
    return this;
  }

  /** Stops; a leader releases its lease and hears revoked(RESIGNED). */
  async stop() {
    if (this.stopping) return;
    this.stopping = true;
    this.running = false;
    clearTimeout(this.timer);
    await this.inFlight?.catch(() => {});
    if (this.lease !== null) {
      const { token } = this.lease;
      try {
        await unary(this.client, 'Release', { name: this.name, holder: this.holder, token },
          this.meta, this.deadlineMs);
      } catch (err) {
        this.emit('failed', err); // it expires within its TTL instead
      }
      this.revoke('RESIGNED');
    }
    if (this.ownsClient) this.client.close();
    this.emit('stopped');
  }

  schedule(ms) {
    if (this.running) this.timer = setTimeout(() => this.round(), ms);
  }

  round() {
    this.inFlight = (this.lease === null ? this.tryAcquire() : this.renew())
      .then((next) => this.schedule(next));
  }

  async tryAcquire() {
    const sentAt = Date.now();
    try {
      const reply = await unary(this.client, 'TryAcquire', { name: this.name, holder: this.holder,
        ttl: duration(this.ttlMs) }, this.meta, Math.min(this.deadlineMs, this.renewDeadlineMs));
      if (!this.running) {
        if (reply.lease && reply.lease.holder === this.holder) this.lease = reply.lease; // stop() releases it
        return 0;
      }
      if (reply.lease && reply.lease.holder === this.holder) {
        if (this.lastToken !== null && compareTokens(reply.lease.token, this.lastToken) <= 0) {
          this.emit('failed', new Error(`lease ${this.name} came back with token `
            + `${reply.lease.token}, not above ${this.lastToken}`));
        }
        this.lease = reply.lease;
        this.lastToken = reply.lease.token;
        this.lastRenewedAt = sentAt;
        this.emit('elected', { name: this.name, token: reply.lease.token, lease: reply.lease });
        return this.renewIntervalMs;
      }
      this.emit('waiting', { name: this.name }); // held by another holder
    } catch (err) {
      this.emit('failed', err);
    }
    return this.retryIntervalMs;
  }

  async renew() {
    const sentAt = Date.now();
    const left = this.lastRenewedAt + this.renewDeadlineMs - sentAt;
    if (left <= 0) {
      this.revoke('DEADLINE_PASSED');
      return this.retryIntervalMs;
    }
    try {
      const reply = await unary(this.client, 'Renew', { name: this.name, holder: this.holder,
        token: this.lease.token, ttl: duration(this.ttlMs) }, this.meta,
        Math.min(this.deadlineMs, left));
      if (this.lease === null) return this.retryIntervalMs;
      if (reply.lease && reply.lease.token === this.lease.token) {
        this.lease = reply.lease;
        this.lastRenewedAt = sentAt;
        return this.renewIntervalMs;
      }
      this.revoke('LOST');
      return this.retryIntervalMs;
    } catch (err) {
      this.emit('failed', err);
    }
    if (Date.now() - this.lastRenewedAt >= this.renewDeadlineMs) {
      this.revoke('DEADLINE_PASSED');
      return this.retryIntervalMs;
    }
    // try again soon, within what is left of the deadline
    return Math.max(1, Math.min(this.renewIntervalMs,
      Math.floor((this.lastRenewedAt + this.renewDeadlineMs - Date.now()) / 2)));
  }

  revoke(reason) {
    if (this.lease === null) return;
    const { token } = this.lease;
    this.lease = null;
    this.emit('revoked', { name: this.name, token, reason });
  }
}

module.exports = { Candidate };
