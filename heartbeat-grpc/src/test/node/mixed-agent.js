// A Node agent of clients/node for MixedLanguageTest: beats until killed, or until its stdin
// closes (then leaves). Prints "registered <incarnation>" and "detector <state>" at each change
// of the server's view. Usage: node mixed-agent.js ADDRESS AGENT INTERVAL_MS
'use strict';
const path = require('node:path');
const { Agent } = require(path.join(__dirname, '..', '..', '..', '..', 'clients', 'node'));

const [address, agentId, intervalText] = process.argv.slice(2);
const agent = new Agent({ address, agentId, intervalMs: Number(intervalText), taskId: 'node-task',
  status: 'WORKING', cpuUtil: 0.25, progress: 'started' });
let seen;
agent.on('registered', (state) => console.log(`registered ${state.incarnation}`));
agent.on('beat', (reply) => {
  if (reply.detector_state && reply.detector_state !== seen) {
    seen = reply.detector_state;
    console.log(`detector ${seen}`);
  }
});
agent.on('disconnected', (err) => console.log(`disconnected ${err.message}`));
agent.start();
process.stdin.resume();
process.stdin.on('end', () => agent.stop().then(() => console.log('stopped')));
