// The four adapter subpaths resolve from the built package in ESM and CommonJS, load no framework,
// and work (`npm test` builds first).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SUBPATHS = {
  express: 'createExpressHandler',
  koa: 'createKoaMiddleware',
  fastify: 'alipayRefundNotifyPlugin',
  fetch: 'createFetchHandler',
};

// Signs one refund with the built testing helpers and posts it to the built Fetch handler.
const script = (load: (spec: string) => string) => `
  const { generateTestKeyPair, buildRefundFields, signNotification } = ${load('alipay-refund-notify/testing')};
  const names = ${JSON.stringify(SUBPATHS)};
  const out = {};
  for (const [sub, name] of Object.entries(names)) out[sub] = typeof (${load("'alipay-refund-notify/' + sub")})[name];
  const { createFetchHandler, NotifyAdapterError } = ${load('alipay-refund-notify/fetch')};
  const alipay = generateTestKeyPair();
  const { body } = signNotification(buildRefundFields('partial'), { privateKey: alipay.privateKey });
  let refund;
  const handler = createFetchHandler({ alipayPublicKey: alipay.publicKey, appId: '2021000000000000', onRefund: (n) => { refund = n.kind; }, onNotification: 'retry' });
  const res = await handler(new Request('http://localhost/notify', { method: 'POST', body }));
  out.answer = [res.status, await res.text(), refund, typeof NotifyAdapterError];
  out.frameworks = typeof require === 'function' ? Object.keys(require.cache).filter((k) => /node_modules[\\\\/](express|koa|fastify|hono)/.test(k)) : [];
  console.log(JSON.stringify(out));
`;

const expected = {
  express: 'function',
  koa: 'function',
  fastify: 'function',
  fetch: 'function',
  answer: [200, 'success', 'trade_refund', 'function'],
  frameworks: [],
};

test('dist is built', () =>
  assert.ok(
    existsSync(new URL('dist/esm/adapters/express.js', `file://${root}`)),
    'run `npm run build` first (npm test does)',
  ));

test('ESM: import the four subpaths, and a refund is acknowledged through the built Fetch handler', () => {
  const code = script((spec) => `(await import(${spec.startsWith("'") ? spec : JSON.stringify(spec)}))`);
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), expected);
});

test('CommonJS: require the four subpaths, no framework is loaded, and a refund is acknowledged', () => {
  const code = `(async () => { ${script((spec) => `require(${spec.startsWith("'") ? spec : JSON.stringify(spec)})`)} })().catch((e) => { console.error(e); process.exit(1); });`;
  const out = execFileSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), expected);
});

test('the built adapters import no framework, not even for types', () => {
  for (const format of ['esm', 'cjs']) {
    for (const sub of Object.keys(SUBPATHS)) {
      for (const ext of ['js', 'd.ts']) {
        // TSDoc examples import the framework; only code counts.
        const text = readFileSync(new URL(`dist/${format}/adapters/${sub}.${ext}`, `file://${root}`), 'utf8').replace(
          /\/\*[\s\S]*?\*\//g,
          '',
        );
        assert.doesNotMatch(
          text,
          /(from |require\(|import\()['"](express|koa|fastify|hono)['"/]/,
          `${format}/${sub}.${ext}`,
        );
      }
    }
  }
});
