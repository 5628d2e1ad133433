// Every ```js block of the README compiles (as the body of an async function).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has code blocks', () => assert.ok(blocks.length > 0));

blocks.forEach((code, i) => {
  test(`README block ${i + 1} compiles`, () => {
    assert.doesNotThrow(() => new vm.Script(`(async () => {\n${code}\n})`,
      { filename: `README.md block ${i + 1}` }));
  });
});
