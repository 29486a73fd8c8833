// The ./client subpath resolves from the built package in ESM and CommonJS (types included), and a
// refund query against the built fake gateway works through it (`npm test` builds first).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

const script = (load: (spec: string) => string) => `
  const { createAlipayClient, pollRefund, AlipayGatewayError } = ${load('alipay-refund-notify/client')};
  const { createFakeAlipayGateway } = ${load('alipay-refund-notify/testing')};
  const { AlipayNotifyError } = ${load('alipay-refund-notify')};
  const gateway = await createFakeAlipayGateway();
  const { queryRefund } = createAlipayClient(gateway.clientOptions());
  const { outTradeNo } = gateway.createTrade({ totalAmount: '10.00' });
  gateway.refund({ outTradeNo, outRequestNo: 'R', refundAmount: '10.00' });
  const result = await queryRefund({ outTradeNo, outRequestNo: 'R' });
  let code;
  try { await queryRefund({ outTradeNo: 'none', outRequestNo: 'R' }); } catch (err) { code = [err.code, err instanceof AlipayGatewayError, err instanceof AlipayNotifyError]; }
  await gateway.close();
  console.log(JSON.stringify({ status: result.status, yuan: result.refundAmount.yuan, poll: typeof pollRefund, code }));
`;
const expected = { status: 'success', yuan: '10.00', poll: 'function', code: ['ERR_GATEWAY_ERROR', true, true] };

test('dist has the client entry with types, in both formats', () => {
  for (const f of [
    'dist/esm/client/index.js',
    'dist/esm/client/index.d.ts',
    'dist/cjs/client/index.js',
    'dist/cjs/client/index.d.ts',
  ])
    assert.ok(existsSync(`${root}${f}`), `${f}: run npm run build first`);
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
  assert.equal(pkg.exports['./client'].import.default, './dist/esm/client/index.js');
  assert.equal(pkg.exports['./client'].require.types, './dist/cjs/client/index.d.ts');
  assert.deepEqual(pkg.typesVersions['*'].client, ['./dist/cjs/client/index.d.ts']);
  assert.match(pkg.scripts.docs, /src\/client\/index\.ts/);
});

test('ESM: import alipay-refund-notify/client and query the built fake gateway', () => {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', script((spec) => `(await import(${JSON.stringify(spec)}))`)],
    { cwd: root, encoding: 'utf8' },
  );
  assert.deepEqual(JSON.parse(out), expected);
});

test('CommonJS: require alipay-refund-notify/client, the same error classes as the main entry', () => {
  const code = `(async () => { ${script((spec) => `require(${JSON.stringify(spec)})`)} })().catch((e) => { console.error(e); process.exit(1); });`;
  const out = execFileSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), expected);
});
