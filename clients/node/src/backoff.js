// Exponential backoff with full jitter, bounded: never longer than maxMs, reset on success.
'use strict';
const { positiveInt } = require('./proto');

class Backoff {
  constructor({ initialMs = 100, maxMs = 5000, random = Math.random } = {}) {
    this.initialMs = positiveInt('backoff initialMs', initialMs);
    this.maxMs = positiveInt('backoff maxMs', maxMs);
    if (maxMs < initialMs) {
      throw new RangeError(`backoff maxMs must be at least initialMs (${initialMs}), got ${maxMs}`);
    }
    this.random = random;
    this.attempt = 0;
  }

  /** The next delay: between half and all of min(maxMs, initialMs * 2^attempt). */
  next() {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  reset() {
    this.attempt = 0;
  }
}

module.exports = { Backoff };
