// Under the `edge-light` export condition (Next.js's Edge runtime, Vercel Edge Functions) the
// package resolves to a module that throws ERR_CONFIG with the fix, as soon as it loads.
// next.test.ts shows `next build` stopping on it; this checks the module and the exports map.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { root } from './support/runtime-binary.js';

const MESSAGE =
  /runtime: the Edge runtime is not supported \(it has no node:crypto\): remove `export const runtime = 'edge'` from the route/;

test('the module throws ERR_CONFIG (option "runtime") with the fix in its message', async () => {
  await assert.rejects(
    import('../../src/adapters/edge-runtime-unsupported.js'),
    (err: Error & { code?: string; option?: string }) => {
      assert.equal(err.name, 'NotifyConfigError');
      assert.equal(err.code, 'ERR_CONFIG');
      assert.equal(err.option, 'runtime');
      assert.match(err.message, MESSAGE);
      return true;
    },
  );
});

for (const spec of ['alipay-refund-notify', 'alipay-refund-notify/fetch']) {
  test(`${spec} resolves to it under the edge-light condition, and to the real module otherwise`, () => {
    const load = (conditions: string[]) =>
      spawnSync(
        process.execPath,
        [
          ...conditions,
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(spec)}); console.log(Object.keys(m).length > 0)`,
        ],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
    const edge = load(['--conditions=edge-light']);
    assert.notEqual(edge.status, 0);
    assert.match(edge.stderr, MESSAGE);
    const node = load([]);
    assert.equal(node.status, 0, node.stderr);
    assert.equal(node.stdout.trim(), 'true');
  });
}
