import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixturesDir } from '../support/vectors.js';

// The vectors are ground truth: the copy in test/fixtures must equal the project's shared ones
// whenever those are present beside the checkout (they are in CI).
const shared = new URL('../../../shared/vectors/', import.meta.url);

for (const name of ['verified.json', 'unverified.json']) {
  test(
    `fixture ${name} is a verbatim copy of the shared vectors`,
    { skip: !existsSync(new URL(name, shared)) && 'shared/ not beside this checkout' },
    () => {
      assert.equal(readFileSync(new URL(name, fixturesDir), 'utf8'), readFileSync(new URL(name, shared), 'utf8'));
    },
  );
}
