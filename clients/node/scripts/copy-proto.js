// Copies the service's .proto from the repository into the package (proto/heartbeat/v1), so that
// a packed or published package carries it; in the repository the client reads it in place.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { IN_REPO, PACKED } = require('../src/proto');

fs.mkdirSync(path.dirname(PACKED), { recursive: true });
fs.copyFileSync(IN_REPO, PACKED);
console.log(`copied ${IN_REPO} to ${PACKED}`);
