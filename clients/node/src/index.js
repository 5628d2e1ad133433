'use strict';
const { Agent } = require('./agent');
const { Candidate } = require('./election');
const { Backoff } = require('./backoff');
const { connect, definition, protoPath, compareTokens, LOAD_OPTIONS } = require('./proto');

module.exports = { Agent, Candidate, Backoff, connect, definition, protoPath, compareTokens,
  LOAD_OPTIONS };
