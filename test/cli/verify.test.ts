// `alipay-notify verify` (src/cli/commands/verify.ts, describe-notification.ts,
// explain-failure.ts), run as a real child process on bodies `sign` made: the typed result of every
// kind in words or JSON, failures explained with the diagnosis, and option mistakes (exit 2).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cli, keygenDir } from '../support/cli-harness.js';

const APP_ID = '2021000000000000';
const PARTNER = '2088000000000000';
// keygen ran in `dir` (with --cert): sign run there finds the key by itself.
const { dir, key, pub } = keygenDir('cli-verify', ['--cert']);

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('verify: the typed result', { concurrency: true }, () => {
  test('a GBK full refund round-trips through stdin; verify prints the typed result', async () => {
    const signed = await cli(['sign', '--key', key, '--kind', 'full-refund', '--charset', 'GBK']);
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stdout, /(^|&)charset=GBK(&|$)/);
    assert.ok(!signed.stdout.endsWith('\n'), 'the body is printed byte for byte');
    const v = await cli(['verify', '--public-key', pub, '--app-id', APP_ID, '--json'], {
      input: Buffer.from(signed.stdout, 'latin1'),
    });
    assert.equal(v.code, 0, v.stdout);
    const n = (JSON.parse(v.stdout) as { notification: Record<string, unknown> }).notification;
    assert.equal(n['kind'], 'trade_refund');
    assert.equal(n['refundType'], 'full');
    assert.equal(n['charset'], 'gbk');
    assert.deepEqual(n['refundFee'], { fen: 10000, yuan: '100.00' });
    const human = await cli(['verify', '--public-key', pub, '--app-id', APP_ID], {
      input: Buffer.from(signed.stdout, 'latin1'),
    });
    assert.match(human.stdout, /verified trade_refund/);
  });

  test('a tampered body and a body for another app fail with exit 1 and their error codes', async () => {
    const file = join(dir, 'tampered.body');
    const signed = await cli(['sign', '--key', key, '--set', 'refund_fee=30.00']);
    writeFileSync(file, signed.stdout.replace('refund_fee=30.00', 'refund_fee=99.00'), 'latin1');
    const forged = await cli([
      'verify',
      file,
      `--public-key=${readFileSync(pub, 'utf8')}`,
      '--app-id',
      APP_ID,
      '--json',
    ]);
    assert.equal(forged.code, 1);
    const report = JSON.parse(forged.stdout) as { code: string; diagnosis: { cause: string } };
    assert.equal(report.code, 'ERR_SIGNATURE_INVALID');
    // The diagnosis tells a changed value from a wrong key.
    assert.equal(report.diagnosis.cause, 'content-changed');
    const other = await cli(['verify', '--public-key', pub, '--app-id', '2021999999999999'], {
      input: Buffer.from(signed.stdout, 'latin1'),
    });
    assert.equal(other.code, 1);
    assert.match(other.stdout, /ERR_APP_ID_MISMATCH/);
  });
});

describe('verify: every kind in words', { concurrency: true }, () => {
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
    assert.match(
      payment,
      /TRADE_SUCCESS for \S+ \(trade_no \S+\), total 100\.00 yuan \(10000 fen\), app_id 2021000000000000/,
    );
    const depositback = await signAndVerify(['--kind', 'depositback'], ['--public-key', pub, '--app-id', APP_ID]);
    assert.match(depositback, /deposit-back reached the bank card for /);
    assert.match(depositback, /dback_amount \d+\.\d\d yuan \(\d+ fen\), bank_ack_time \d{4}-/);
  });

  test('an MD5 batch refund with the key from the environment; --set removes and replaces fields', async () => {
    const signed = await cli(
      ['sign', '--kind', 'batch-refund', '--set', 'batch_no=20240101001', '--set', 'sign_type='],
      { cwd: dir, env: { ALIPAY_MD5_KEY: 'partner-key' } },
    );
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stdout, /(^|&)batch_no=20240101001(&|$)/);
    const v = await cli(['verify', '--md5-key', 'partner-key', '--partner', PARTNER], {
      cwd: dir,
      input: bytes(signed.stdout),
    });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /^verified batch_refund · MD5/);
    assert.match(v.stdout, /batch 20240101001: \d+ succeeded/);
    assert.match(v.stdout, /^ {2}· \S+ \d+\.\d\d SUCCESS/m);
  });

  test('a refund with its optional fields removed shows dashes, with the key given as base64 and app id from $APP_ID', async () => {
    const signed = await cli(
      ['sign', '--set', 'out_biz_no=', '--set', 'gmt_refund=', '--set', 'total_amount=', '--set', 'app_id='],
      { cwd: dir },
    );
    assert.equal(signed.code, 0, signed.stderr);
    const base64 = /-----BEGIN PUBLIC KEY-----([\s\S]+)-----END PUBLIC KEY-----/
      .exec(readFileSync(pub, 'utf8'))![1]!
      .replace(/\s+/g, '');
    const v = await cli(['verify', '--public-key', base64, '--partner', PARTNER], {
      cwd: dir,
      input: bytes(signed.stdout),
    });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /out_biz_no —/);
    assert.match(v.stdout, /of total —/);
    assert.match(v.stdout, /gmt_refund —, app_id —/);
    const fromEnv = await cli(['verify', '--public-key', pub], {
      cwd: dir,
      input: bytes((await cli(['sign'], { cwd: dir })).stdout),
      env: { APP_ID },
    });
    assert.equal(fromEnv.code, 0, fromEnv.stdout + fromEnv.stderr);
  });
});

describe('verify: option mistakes, and failures explained', { concurrency: true }, () => {
  test('two files, no key, no app id, an unreadable key and a bad option are exit 2', async () => {
    const env = { ALIPAY_PUBLIC_KEY: undefined, APP_ID: undefined };
    const cases: [string[], RegExp][] = [
      [['a.body', 'b.body', '--public-key', pub, '--app-id', APP_ID], /give at most one file/],
      [['--app-id', APP_ID], /give --public-key, --cert or --md5-key/],
      [['--public-key', pub], /give --app-id \(or set \$APP_ID\), or --partner/],
      [
        ['--public-key', 'not-a-file-nor-a-key', '--app-id', APP_ID],
        /--public-key: no such file, and not a key either/,
      ],
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
    const notRefund = await cli(['verify', '--public-key', pub, '--app-id', APP_ID, '--refund-only'], {
      cwd: dir,
      input: bytes(payment.stdout),
    });
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
    const r = await cli(
      ['verify', '--public-key', join(other, 'alipay-test-public-key.pem'), '--app-id', '2021999999999999'],
      { cwd: dir, input: bytes(signed.stdout) },
    );
    assert.equal(r.code, 1);
    assert.ok((r.stdout.match(/^ {2}· /gm) ?? []).length >= 2, r.stdout);
    assert.match(r.stdout, /signed string checked \(utf-8, sha256 [0-9a-f]{16}…\)/);
  });
});
