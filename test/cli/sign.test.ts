// `alipay-notify sign` (src/cli/commands/sign.ts, sign-from-options.ts), run as a real child
// process: every kind of notification signed as Alipay signs it, the key found in the current
// directory, and option mistakes with their exit code 2.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createNotifyVerifier } from '../../src/index.js';
import { cli, keygenDir } from '../support/cli-harness.js';

const APP_ID = '2021000000000000';
// keygen ran in `dir` (with --cert): sign run there finds the key by itself.
const { dir, key, pub } = keygenDir('cli-sign', ['--cert']);

describe('sign: option mistakes are exit 2 with the reason', { concurrency: true }, () => {
  const cases: [string, string[], RegExp, string?][] = [
    ['--set without =', ['--set', 'refund_fee'], /--set expects name=value/],
    ['--set with an empty name', ['--set', '=1'], /--set expects name=value/],
    ['--fields that is not JSON', ['--fields', '-'], /--fields: not JSON/, '{'],
    ['--fields with a number', ['--fields', '-'], /--fields: n must be a string/, '{"n": 1}'],
    [
      'an unknown --kind',
      ['--kind', 'chargeback'],
      /--kind must be one of refund, full-refund, payment, depositback, batch-refund/,
    ],
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

describe('sign: what is built', { concurrency: true }, () => {
  test('deposit-back, MD5 batch refund and --fields JSON are signed as Alipay signs them', async () => {
    const db = await cli(['sign', '--key', key, '--kind', 'depositback']);
    const dbv = await cli(['verify', '--public-key', pub, '--app-id', APP_ID, '--refund-only', '--json'], {
      input: Buffer.from(db.stdout, 'latin1'),
    });
    assert.equal(
      (JSON.parse(dbv.stdout) as { notification: { kind: string } }).notification.kind,
      'refund_depositback',
    );

    const batch = await cli(['sign', '--kind', 'batch-refund', '--md5-key', 'test-partner-key']);
    assert.equal(batch.code, 0, batch.stderr);
    const bv = await cli(['verify', '--md5-key', 'test-partner-key', '--partner', '2088000000000000', '--json'], {
      input: Buffer.from(batch.stdout, 'latin1'),
    });
    assert.equal(
      (JSON.parse(bv.stdout) as { notification: { kind: string } }).notification.kind,
      'batch_refund',
      bv.stdout,
    );

    const fields = JSON.stringify({
      notify_type: 'trade_status_sync',
      notify_id: 'n1',
      notify_time: '2024-01-02 03:04:05',
      app_id: APP_ID,
      trade_no: 't',
      out_trade_no: 'o',
      trade_status: 'TRADE_SUCCESS',
    });
    const own = await cli(['sign', '--key', key, '--fields', '-', '--json'], { input: fields });
    const { body } = JSON.parse(own.stdout) as { body: string };
    assert.equal(
      createNotifyVerifier({ alipayPublicKey: readFileSync(pub, 'utf8'), appId: APP_ID }).verify(
        Buffer.from(body, 'latin1'),
      ).kind,
      'trade',
    );
    assert.equal((await cli(['sign', '--key', key, '--fields', '-'], { input: '[1]' })).code, 2);
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

  test('without --key it uses ./alipay-test-private-key.pem, or says to run keygen', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'alipay-notify-empty-'));
    try {
      const none = await cli(['sign'], { cwd: empty });
      assert.equal(none.code, 2);
      assert.match(none.stderr, /keygen/);
      assert.equal((await cli(['keygen'], { cwd: empty })).code, 0);
      assert.equal((await cli(['sign'], { cwd: empty })).code, 0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
