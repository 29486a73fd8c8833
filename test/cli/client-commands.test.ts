// `alipay-notify query-refund`, `query-trade` and `fake-gateway` as real child processes: keys
// from files or the environment, JSON output, exit codes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createFakeAlipayGateway, type FakeAlipayGateway } from '../../src/testing/index.js';
import { cliEntry } from '../support/cli-harness.js';
import { cliFromSource } from '../client/support.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// The CLI runs from src through tsx (not the bundle of test/support/cli-harness.ts) so that its coverage counts.
const cli = (args: readonly string[], opts: { env?: Record<string, string | undefined> } = {}) =>
  cliFromSource(args, opts.env);

let gateway: FakeAlipayGateway;
let dir: string;
let env: Record<string, string>;
before(async () => {
  gateway = await createFakeAlipayGateway();
  dir = mkdtempSync(join(tmpdir(), 'alipay-notify-client-cli-'));
  const o = gateway.clientOptions();
  writeFileSync(join(dir, 'app.pem'), o.privateKey);
  writeFileSync(join(dir, 'alipay.pem'), o.alipayPublicKey!);
  env = {
    APP_ID: o.appId,
    APP_PRIVATE_KEY: join(dir, 'app.pem'),
    ALIPAY_PUBLIC_KEY: join(dir, 'alipay.pem'),
    ALIPAY_GATEWAY: o.gateway,
  };
});
after(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

test('query-refund: success with amounts and times as JSON, keys from the environment', async () => {
  const { outTradeNo, tradeNo } = gateway.createTrade({ totalAmount: '100.00' });
  gateway.refund({ outTradeNo, outRequestNo: 'R-1', refundAmount: '12.34', depositBack: true });
  const r = await cli(
    [
      'query-refund',
      '--out-trade-no',
      outTradeNo,
      '--out-request-no',
      'R-1',
      '--query-options',
      'gmt_refund_pay, deposit_back_info',
    ],
    { env },
  );
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.status, 'success');
  assert.equal(out.refundAmount, '12.34');
  assert.equal(out.tradeNo, tradeNo);
  assert.match(out.gmtRefundPay, /^\d{4}-\d\d-\d\dT/);
  assert.equal(out.depositBackInfo.hasDepositBack, true);
  assert.equal(out.raw, undefined);
  const none = await cli(['query-refund', '--trade-no', tradeNo, '--out-request-no', 'nope'], { env });
  assert.equal(JSON.parse(none.stdout).status, 'not_refunded');
});

test("query-trade: keys from files on the command line; a failure is JSON with Alipay's codes (exit 1), an unreachable gateway exit 3", async () => {
  const { outTradeNo } = gateway.createTrade({ totalAmount: '9.90' });
  const args = [
    '--app-id',
    gateway.appId,
    '--private-key',
    join(dir, 'app.pem'),
    '--public-key',
    join(dir, 'alipay.pem'),
    '--gateway',
    gateway.url,
    '--timeout',
    '5000',
  ];
  const ok = await cli(['query-trade', '--out-trade-no', outTradeNo, ...args], {
    env: { APP_ID: undefined, APP_PRIVATE_KEY: undefined, ALIPAY_PUBLIC_KEY: undefined, ALIPAY_GATEWAY: undefined },
  });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).tradeStatus, 'TRADE_SUCCESS');
  assert.equal(JSON.parse(ok.stdout).totalAmount, '9.90');
  const missing = await cli(['query-trade', '--trade-no', 'nope', ...args]);
  assert.equal(missing.code, 1);
  assert.deepEqual(
    (({ ok: o, code, alipayCode, subCode, subMsg }) => ({ o, code, alipayCode, subCode, subMsg }))(
      JSON.parse(missing.stdout),
    ),
    { o: false, code: 'ERR_GATEWAY_ERROR', alipayCode: '40004', subCode: 'ACQ.TRADE_NOT_EXIST', subMsg: '交易不存在' },
  );
  const down = await cli(['query-trade', '--trade-no', 'x', ...args, '--gateway', 'http://127.0.0.1:9/gateway.do']);
  assert.equal(down.code, 3);
  assert.equal(JSON.parse(down.stdout).code, 'ERR_GATEWAY_UNREACHABLE');
  gateway.injectFault('tampered');
  const tampered = await cli(['query-refund', '--out-trade-no', outTradeNo, '--out-request-no', 'x', ...args]);
  assert.equal(tampered.code, 1);
  assert.equal(JSON.parse(tampered.stdout).code, 'ERR_SIGNATURE_INVALID');
});

test('usage errors exit 2; --help exits 0', async () => {
  const cases: [string[], RegExp][] = [
    [['query-refund', '--out-request-no', 'x'], /--out-trade-no or --trade-no/],
    [['query-refund', '--trade-no', 'x'], /--out-request-no/],
    [['query-trade'], /--out-trade-no or --trade-no/],
    [['query-trade', '--trade-no', 'x', '--timeout', '-1'], /--timeout/],
    [['query-trade', '--trade-no', 'x', '--private-key', 'nope'], /--private-key/],
    [['query-trade', '--trade-no', 'x', '--gateway', 'not a url'], /ERR_CONFIG/],
    [['fake-gateway', '--port', 'x'], /--port/],
    [['fake-gateway', '--trade', 'free'], /--trade/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args, { env });
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
  const noApp = await cli(['query-trade', '--trade-no', 'x'], { env: { ...env, APP_ID: undefined } });
  assert.match(noApp.stderr, /--app-id/);
  const noKey = await cli(['query-trade', '--trade-no', 'x'], { env: { ...env, APP_PRIVATE_KEY: undefined } });
  assert.match(noKey.stderr, /--private-key/);
  for (const name of ['query-refund', 'query-trade', 'fake-gateway']) {
    const help = await cli([name, '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, new RegExp(`alipay-notify ${name}`));
  }
});

test('query-trade in certificate mode, with the certificates from the environment; --sandbox is accepted', async () => {
  const certGateway = await createFakeAlipayGateway({ mode: 'certificate' });
  try {
    const o = certGateway.clientOptions();
    for (const [name, content] of [
      ['c-app.pem', o.privateKey],
      ['c-alipay.crt', o.alipayPublicCert!],
      ['c-app.crt', o.appCert!],
      ['c-root.crt', o.alipayRootCert!],
    ])
      writeFileSync(join(dir, name!), content!);
    const { outTradeNo } = certGateway.createTrade({ totalAmount: '1.00' });
    const r = await cli(['query-trade', '--out-trade-no', outTradeNo], {
      env: {
        APP_ID: o.appId,
        APP_PRIVATE_KEY: join(dir, 'c-app.pem'),
        ALIPAY_PUBLIC_CERT: join(dir, 'c-alipay.crt'),
        APP_CERT: join(dir, 'c-app.crt'),
        ALIPAY_ROOT_CERT: join(dir, 'c-root.crt'),
        ALIPAY_GATEWAY: o.gateway,
        ALIPAY_PUBLIC_KEY: join(dir, 'alipay.pem'),
      },
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(JSON.parse(r.stdout).tradeStatus, 'TRADE_SUCCESS');
    const sandbox = await cli(
      ['query-trade', '--trade-no', 'x', '--sandbox', '--gateway', 'http://127.0.0.1:9/', '--timeout', '2000'],
      { env },
    );
    assert.equal(sandbox.code, 3);
  } finally {
    await certGateway.close();
  }
});

test('fake-gateway: starts, writes the keys, prints one JSON line, serves queries, stops cleanly on SIGTERM', async () => {
  for (const mode of [[], ['--cert', '--odd-json']]) {
    const out = join(dir, `gw${mode.length}`);
    const child = spawn(process.execPath, [cliEntry, 'fake-gateway', '--out', out, '--trade', '25.00', ...mode], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const line: string = await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const info = JSON.parse(line) as {
      gateway: string;
      appId: string;
      files: string[];
      trades: { outTradeNo: string; totalAmount: string }[];
    };
    const { createAlipayClient } = await import('../../src/client/index.js');
    const file = (name: string): string =>
      readFileSync(
        info.files.find((f) => f.endsWith(name))!,
        'utf8',
      );
    const client = createAlipayClient(
      mode.length === 0
        ? {
            appId: info.appId,
            privateKey: file('app-private-key.pem'),
            alipayPublicKey: file('alipay-public-key.pem'),
            gateway: info.gateway,
          }
        : {
            appId: info.appId,
            privateKey: file('app-private-key.pem'),
            alipayPublicCert: file('alipay-public-cert.crt'),
            appCert: file('app-cert.crt'),
            alipayRootCert: file('alipay-root-cert.crt'),
            gateway: info.gateway,
          },
    );
    const trade = await client.queryTrade({ outTradeNo: info.trades[0]!.outTradeNo });
    assert.equal(trade.totalAmount?.yuan, '25.00');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});
