// An agent that beats in the background: registers, then sends one beat per interval on a
// BeatStream (the keep-alive). When the stream breaks it beats with unary Beat calls meanwhile
// and reopens the stream after a bounded, jittered backoff. Nothing grows without bound: at most
// MAX_IN_FLIGHT beats await their answer on the stream, at most one unary call runs.
'use strict';
const { EventEmitter } = require('node:events');
const crypto = require('node:crypto');
const { connect, metadata, duration, unary, positiveInt, nonBlank } = require('./proto');
const { Backoff } = require('./backoff');

const STATUSES = new Set(['IDLE', 'WORKING']);
/** Beats sent on the stream and not yet answered, at most; a tick skips its beat beyond. */
const MAX_IN_FLIGHT = 3;

/**
 * Events: 'registered' (the stored record), 'beat' (each BeatReply: state and detector_state),
 * 'disconnected' (the error that broke the stream or failed a call; the agent goes on),
 * 'stopped'.
 */
class Agent extends EventEmitter {
  /**
   * options: address (host:port) and agentId are required; intervalMs (1000), incarnation (a
   * fresh one), taskId, status ('IDLE', or 'WORKING' with a task), progress, cpuUtil (0..1),
   * deadlineMs of each call (5000), backoffInitialMs (100), backoffMaxMs (5000), bearerToken,
   * protoPath, credentials, channelOptions, or a ready client.
   */
  constructor(options = {}) {
    super();
    this.address = nonBlank('address', options.address);
    this.agentId = nonBlank('agentId', options.agentId);
    this.intervalMs = positiveInt('intervalMs', options.intervalMs ?? 1000);
    this.deadlineMs = positiveInt('deadlineMs', options.deadlineMs ?? 5000);
    this.incarnation = options.incarnation === undefined
      ? `${this.agentId}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`
      : nonBlank('incarnation', options.incarnation);
    this.backoff = new Backoff({ initialMs: options.backoffInitialMs ?? 100,
      maxMs: options.backoffMaxMs ?? 5000 });
    this.meta = metadata(options.bearerToken);
    this.client = options.client ?? connect(this.address, options);
    this.ownsClient = options.client === undefined;
    this.fields = { task_id: undefined, status: 'IDLE', progress: undefined, cpu_util: undefined };
    this.newProgress = false;
    this.update({ taskId: options.taskId, status: options.status ?? (options.taskId ? 'WORKING'
      : 'IDLE'), progress: options.progress, cpuUtil: options.cpuUtil });
    this.sequence = 0n;
    this.mode = 'new'; // new -> unregistered -> streaming <-> fallback -> stopped
    this.stream = null;
    this.sentAt = []; // send times of the unanswered stream beats (<= MAX_IN_FLIGHT)
    this.unaryBusy = false;
    this.retryAt = 0;
    this.detectorState = undefined;
    this.timer = null;
  }

  /**
   * Starts beating; resolves with the stored record once registered (retried every interval
   * until then), or with null when stopped first.
   */
  start() {
    if (this.mode !== 'new') {
      throw new Error(`agent ${this.agentId} was already started`);
    }
    this.mode = 'unregistered';
    const registered = new Promise((resolve) => {
      this.once('registered', resolve);
      this.once('stopped', () => resolve(null)); // stopped before the server answered
    });
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.tick();
    return registered;
  }

  /** What the next beats say: taskId, status ('IDLE' | 'WORKING'), progress, cpuUtil. */
  update({ taskId, status, progress, cpuUtil } = {}) {
    if (status !== undefined && !STATUSES.has(status)) {
      throw new RangeError(`status must be IDLE or WORKING (stop() leaves), got ${status}`);
    }
    if (cpuUtil !== undefined && !(cpuUtil >= 0 && cpuUtil <= 1)) {
      throw new RangeError(`cpuUtil must be within 0..1, got ${cpuUtil}`);
    }
    if (taskId !== undefined) this.fields.task_id = taskId === null ? undefined : taskId;
    if (status !== undefined) this.fields.status = status;
    if (cpuUtil !== undefined) this.fields.cpu_util = cpuUtil;
    if (progress !== undefined && progress !== this.fields.progress) {
      this.fields.progress = progress;
      this.newProgress = true;
    }
  }

  /** Stops beating; with leave (default) a last beat says LEFT. Resolves when done. */
  async stop({ leave = true } = {}) {
    if (this.mode === 'stopped') return;
    const registered = this.mode === 'streaming' || this.mode === 'fallback';
    this.mode = 'stopped';
    clearInterval(this.timer);
    const stream = this.stream;
    this.stream = null;
    if (stream !== null) {
      await new Promise((resolve) => {
        const bound = setTimeout(() => { stream.cancel(); resolve(); }, this.deadlineMs);
        const done = () => { clearTimeout(bound); resolve(); };
        stream.on('end', done);
        stream.on('error', done);
        stream.end();
      });
    }
    if (leave && registered) {
      try {
        await unary(this.client, 'Beat', this.request('LEFT'), this.meta, this.deadlineMs);
      } catch (err) {
        this.emit('disconnected', err);
      }
    }
    if (this.ownsClient) this.client.close();
    this.emit('stopped');
  }

  request(status = this.fields.status) {
    this.sequence += 1n;
    const r = { ...this.fields, agent_id: this.agentId, incarnation: this.incarnation,
      sequence: String(this.sequence), status, new_progress: this.newProgress,
      interval: duration(this.intervalMs) };
    this.newProgress = false;
    return r;
  }

  tick() {
    const now = Date.now();
    if (this.mode === 'unregistered') {
      if (!this.unaryBusy && now >= this.retryAt) this.call('Register');
    } else if (this.mode === 'fallback') {
      if (now >= this.retryAt) {
        this.openStream();
        this.writeBeat(now);
      } else if (!this.unaryBusy) {
        this.call('Beat');
      }
    } else if (this.mode === 'streaming') {
      this.writeBeat(now);
    }
  }

  writeBeat(now) {
    if (this.stream === null) return;
    if (this.sentAt.length > 0 && now - this.sentAt[0] > this.deadlineMs) {
      this.streamDown(this.stream, new Error(`no answer on the stream within ${this.deadlineMs} ms`));
      return;
    }
    if (this.sentAt.length < MAX_IN_FLIGHT) {
      this.sentAt.push(now);
      this.stream.write(this.request());
    }
  }

  openStream() {
    const stream = this.client.BeatStream(this.meta); // no call deadline: a keep-alive stream
    this.stream = stream;
    this.sentAt = [];
    this.mode = 'streaming';
    stream.on('data', (reply) => {
      if (this.stream !== stream) return;
      this.sentAt.shift();
      this.backoff.reset();
      this.answered(reply);
    });
    stream.on('error', (err) => this.streamDown(stream, err));
    stream.on('end', () => this.streamDown(stream, new Error('the server ended the beat stream')));
  }

  streamDown(stream, err) {
    if (this.stream !== stream) return;
    this.stream = null;
    stream.cancel();
    if (this.mode === 'streaming') {
      this.mode = 'fallback';
      this.retryAt = Date.now() + this.backoff.next();
    }
    this.emit('disconnected', err);
  }

  /** One unary Register or Beat; at most one runs at a time. */
  call(method) {
    this.unaryBusy = true;
    unary(this.client, method, this.request(), this.meta, this.deadlineMs).then((reply) => {
      this.unaryBusy = false;
      if (this.mode === 'stopped') return;
      if (method === 'Register') {
        this.backoff.reset();
        this.mode = 'streaming';
        this.openStream();
        this.emit('registered', reply.state);
      }
      this.answered(reply);
    }, (err) => {
      this.unaryBusy = false;
      if (this.mode === 'unregistered') this.retryAt = Date.now() + this.backoff.next();
      if (this.mode !== 'stopped') this.emit('disconnected', err);
    });
  }

  answered(reply) {
    if (this.mode === 'stopped') return;
    if (reply.state === null || reply.state === undefined) {
      // the server does not know the agent (forgotten, or a new store): register again
      if (this.stream !== null) {
        const s = this.stream;
        this.stream = null;
        s.cancel();
      }
      this.mode = 'unregistered';
      this.retryAt = 0;
      return;
    }
    this.detectorState = reply.detector_state || undefined;
    this.emit('beat', reply);
  }
}

module.exports = { Agent, MAX_IN_FLIGHT };
