// Edges of the `alipay-notify` CLI (src/cli/*) beyond test/toolkit/cli.test.ts, each run as a real
// child process: option mistakes and their exit code 2, keys and files that cannot be read, the
// readable summary of every notification kind, and keygen/sign writing to the current directory.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cli, startEndpoint } from './harness.js';

const APP_ID = '2021000000000000';
const PARTNER = '2088000000000000';
let dir: string;
let pub: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alipay-notify-cli-edges-'));
  // No --out: keygen writes to the current directory, where sign then finds the key by itself.
  const r = await cli(['keygen', '--cert'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^alipay_cert_sn [0-9a-f]{32}$/m);
  pub = join(dir, 'alipay-test-public-key.pem');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('sign: option mistakes are exit 2 with the reason', { concurrency: true }, () => {
  const cases: [string, string[], RegExp, string?][] = [
    ['--set without =', ['--set', 'refund_fee'], /--set expects name=value/],
    ['--set with an empty name', ['--set', '=1'], /--set expects name=value/],
    ['--fields that is not JSON', ['--fields', '-'], /--fields: not JSON/, '{'],
    ['--fields with a number', ['--fields', '-'], /--fields: n must be a string/, '{"n": 1}'],
    ['an unknown --kind', ['--kind', 'chargeback'], /--kind must be one of refund, full-refund, payment, depositback, batch-refund/],
    ['an unknown --sign-type', ['--sign-type', 'SM2'], /--sign-type must be RSA2, RSA or MD5/],
    ['MD5 without --md5-key', ['--sign-type', 'MD5'], /MD5 needs --md5-key/],
    ['a --key file that is not there', ['--key', 'no-such-key.pem'], /--key: cannot read no-such-key.pem/],
    ['a --cert file that is not there', ['--cert', 'no-such.crt'], /--cert: cannot read no-such.crt/],
    ['a --key file that is not a key', ['--key', 'alipay-test-public-key.pem'], /cannot sign: /],
    ['a --fields file that is not there', ['--fields', 'no-such.json'], /cannot read no-such.json/],
  ];
  for (const [name, args, message, input] of cases) {
    test(name, async () => {
      const r = await cli(['sign', ...args], { cwd: dir, input: input ?? '', env: { ALIPAY_MD5_KEY: undefined } });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /see: alipay-notify sign --help/);
    });
  }
});

describe('sign and verify: what is built, and how it reads', { concurrency: true }, () => {
  async function signAndVerify(signArgs: string[], verifyArgs: string[]): Promise<string> {
    const signed = await cli(['sign', ...signArgs], { cwd: dir });
    assert.equal(signed.code, 0, signed.stderr);
    const v = await cli(['verify', ...verifyArgs], { cwd: dir, input: bytes(signed.stdout) });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    return v.stdout;
  }

  test('a payment and a deposit-back are described in words', async () => {
    const payment = await signAndVerify(['--kind', 'payment'], ['--public-key', pub, '--app-id', APP_ID]);
    assert.match(payment, /^verified trade · RSA2 · charset utf-8 · notify_id /);
    assert.match(payment, /TRADE_SUCCESS for \S+ \(trade_no \S+\), total 100\.00 yuan \(10000 fen\), app_id 2021000000000000/);
    const depositback = await signAndVerify(['--kind', 'depositback'], ['--public-key', pub, '--app-id', APP_ID]);
    assert.match(depositback, /deposit-back reached the bank card for /);
    assert.match(depositback, /dback_amount \d+\.\d\d yuan \(\d+ fen\), bank_ack_time \d{4}-/);
  });

  test('an MD5 batch refund with the key from the environment; --set removes and replaces fields', async () => {
    const signed = await cli(['sign', '--kind', 'batch-refund', '--set', 'batch_no=20240101001', '--set', 'sign_type='], { cwd: dir, env: { ALIPAY_MD5_KEY: 'partner-key' } });
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stdout, /(^|&)batch_no=20240101001(&|$)/);
    const v = await cli(['verify', '--md5-key', 'partner-key', '--partner', PARTNER], { cwd: dir, input: bytes(signed.stdout) });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /^verified batch_refund · MD5/);
    assert.match(v.stdout, /batch 20240101001: \d+ succeeded/);
    assert.match(v.stdout, /^ {2}· \S+ \d+\.\d\d SUCCESS/m);
  });

  test('a refund with its optional fields removed shows dashes, with the key given as base64 and app id from $APP_ID', async () => {
    const signed = await cli(['sign', '--set', 'out_biz_no=', '--set', 'gmt_refund=', '--set', 'total_amount=', '--set', 'app_id='], { cwd: dir });
    assert.equal(signed.code, 0, signed.stderr);
    const base64 = /-----BEGIN PUBLIC KEY-----([\s\S]+)-----END PUBLIC KEY-----/.exec(readFileSync(pub, 'utf8'))![1]!.replace(/\s+/g, '');
    const v = await cli(['verify', '--public-key', base64, '--partner', PARTNER], { cwd: dir, input: bytes(signed.stdout) });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /out_biz_no —/);
    assert.match(v.stdout, /of total —/);
    assert.match(v.stdout, /gmt_refund —, app_id —/);
    const fromEnv = await cli(['verify', '--public-key', pub], { cwd: dir, input: bytes((await cli(['sign'], { cwd: dir })).stdout), env: { APP_ID } });
    assert.equal(fromEnv.code, 0, fromEnv.stdout + fromEnv.stderr);
  });

  test('sign --out writes the body, and --json --out the JSON, to a file', async () => {
    const bodyFile = join(dir, 'out.body');
    const jsonFile = join(dir, 'out.json');
    assert.equal((await cli(['sign', '--out', bodyFile], { cwd: dir })).code, 0);
    assert.equal((await cli(['sign', '--json', '--out', jsonFile], { cwd: dir })).code, 0);
    const v = await cli(['verify', bodyFile, '--public-key', pub, '--app-id', APP_ID], { cwd: dir });
    assert.match(v.stdout, /^verified trade_refund/);
    const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as { fields: Record<string, string>; charset: string };
    assert.equal(json.charset, 'UTF-8');
    assert.equal(json.fields['sign_type'], 'RSA2');
  });
});

describe('verify: option mistakes, and failures explained', { concurrency: true }, () => {
  test('two files, no key, no app id, an unreadable key and a bad option are exit 2', async () => {
    const env = { ALIPAY_PUBLIC_KEY: undefined, APP_ID: undefined };
    const cases: [string[], RegExp][] = [
      [['a.body', 'b.body', '--public-key', pub, '--app-id', APP_ID], /give at most one file/],
      [['--app-id', APP_ID], /give --public-key, --cert or --md5-key/],
      [['--public-key', pub], /give --app-id \(or set \$APP_ID\), or --partner/],
      [['--public-key', 'not-a-file-nor-a-key', '--app-id', APP_ID], /--public-key: no such file, and not a key either/],
      [['--public-key', pub, '--app-id', APP_ID, '--sign-types', 'RSA2,SM2'], /ERR_CONFIG: /],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(['verify', ...args], { cwd: dir, env })));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, `${cases[i]![0].join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, cases[i]![1]);
    });
  });

  test('a body that is not a refund under --refund-only, and an unreadable body, are explained', async () => {
    const payment = await cli(['sign', '--kind', 'payment'], { cwd: dir });
    const notRefund = await cli(['verify', '--public-key', pub, '--app-id', APP_ID, '--refund-only'], { cwd: dir, input: bytes(payment.stdout) });
    assert.equal(notRefund.code, 1);
    assert.match(notRefund.stdout, /✖ not verified: ERR_NOT_A_REFUND\n {2}it verifies, but it is not a refund/);
    const garbage = await cli(['verify', '--public-key', pub, '--app-id', APP_ID], { cwd: dir, input: 'a=%zz&b' });
    assert.equal(garbage.code, 1);
    assert.match(garbage.stdout, /✖ not verified: ERR_BODY_MALFORMED/);
    assert.match(garbage.stdout, /the body cannot be read/);
  });

  test('several findings are listed one per line', async () => {
    const signed = await cli(['sign', '--sign-type', 'RSA'], { cwd: dir });
    const other = mkdtempSync(join(dir, 'other-'));
    assert.equal((await cli(['keygen', '--out', other])).code, 0);
    const r = await cli(['verify', '--public-key', join(other, 'alipay-test-public-key.pem'), '--app-id', '2021999999999999'], { cwd: dir, input: bytes(signed.stdout) });
    assert.equal(r.code, 1);
    assert.ok((r.stdout.match(/^ {2}· /gm) ?? []).length >= 2, r.stdout);
    assert.match(r.stdout, /signed string checked \(utf-8, sha256 [0-9a-f]{16}…\)/);
  });
});

describe('send: option mistakes and bodies from files', { concurrency: true }, () => {
  test('no URL, two URLs, a non-URL and a bad --timeout are exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [[], /give exactly one URL/],
      [['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'], /give exactly one URL/],
      [['not a url'], /not a URL: not a url/],
      [['http://127.0.0.1:1/', '--timeout=-5'], /--timeout must be a positive number/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(['send', ...args], { cwd: dir })));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, cases[i]![1]);
    });
  });

  test('a saved body is sent with the charset its own charset field declares, or UTF-8', async () => {
    const endpoint = await startEndpoint(() => ({ body: 'success' }));
    try {
      const cases: [string, string][] = [
        ['charset=GBK&a=1', 'GBK'],
        ['a=1', 'UTF-8'],
        ['charset=&a=1', 'UTF-8'],
        ['charset=%E0%A4%A&a=1', 'UTF-8'],
        ['a=1&charset=gb2312', 'gb2312'],
      ];
      for (const [i, [body]] of cases.entries()) writeFileSync(join(dir, `saved-${i}.body`), body);
      const results = await Promise.all(cases.map((_, i) => cli(['send', endpoint.url, '--body', join(dir, `saved-${i}.body`), '--json'], { cwd: dir })));
      results.forEach((r, i) => {
        assert.equal(r.code, 0, r.stderr);
        assert.equal((JSON.parse(r.stdout) as { charset: string }).charset, cases[i]![1], cases[i]![0]);
      });
      const types = endpoint.received.map((x) => [x.body.toString('latin1'), x.headers['content-type']]);
      for (const [body, label] of cases) assert.ok(types.some(([b, t]) => b === body && t === `application/x-www-form-urlencoded; text/html; charset=${label}`), body);
    } finally {
      await endpoint.close();
    }
  });

  test('--fields from a file is signed and sent', async () => {
    const endpoint = await startEndpoint(() => ({ body: 'success' }));
    try {
      const file = join(dir, 'fields.json');
      writeFileSync(file, JSON.stringify({ notify_type: 'trade_status_sync', notify_id: 'n-fields', notify_time: '2024-01-02 03:04:05', app_id: APP_ID, trade_no: 't', out_trade_no: 'o', trade_status: 'TRADE_SUCCESS' }));
      const r = await cli(['send', endpoint.url, '--fields', file], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(endpoint.received[0]!.body.toString('latin1'), /(^|&)notify_id=n-fields(&|$)/);
    } finally {
      await endpoint.close();
    }
  });
});
