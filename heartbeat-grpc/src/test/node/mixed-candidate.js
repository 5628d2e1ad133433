// A Node candidate of clients/node for MixedLanguageTest: prints "elected <token>" and
// "revoked <token> <reason>"; stops (releasing a held lease) when its stdin closes.
// Usage: node mixed-candidate.js ADDRESS LEASE HOLDER TTL_MS
'use strict';
const path = require('node:path');
const { Candidate } = require(path.join(__dirname, '..', '..', '..', '..', 'clients', 'node'));

const [address, name, holder, ttlText] = process.argv.slice(2);
const candidate = new Candidate({ address, name, holder, ttlMs: Number(ttlText) });
candidate.on('elected', ({ token }) => console.log(`elected ${token}`));
candidate.on('revoked', ({ token, reason }) => console.log(`revoked ${token} ${reason}`));
let waiting = false;
candidate.on('waiting', () => { if (!waiting) { waiting = true; console.log('waiting'); } });
candidate.on('failed', (err) => console.log(`failed ${err.message}`));
candidate.start();
console.log('started');
process.stdin.resume();
process.stdin.on('end', () => candidate.stop().then(() => console.log('stopped')));
