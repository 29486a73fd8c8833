import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createNotifyVerifier } from '../../src/index.js';
import { AlipayNotifyError } from '../../src/errors/index.js';
import { postNotification, type PostOutcome } from '../../src/cli/post-notification.js';
import { cli, startEndpoint } from '../support/cli-harness.js';

const APP_ID = '2021000000000000';
let dir: string;
let key: string;
let pub: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alipay-notify-cli-'));
  const r = await cli(['keygen', '--out', dir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  key = join(dir, 'alipay-test-private-key.pem');
  pub = join(dir, 'alipay-test-public-key.pem');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('usage', { concurrency: true }, () => {
  test('--help works for the program and every command, exit 0', async () => {
    const [top, ...commands] = await Promise.all([['--help'], ...['keygen', 'sign', 'send', 'verify'].map((c) => [c, '--help'])].map((args) => cli(args)));
    assert.equal(top!.code, 0);
    assert.match(top!.stdout, /Usage: alipay-notify <command>/);
    for (const [i, command] of ['keygen', 'sign', 'send', 'verify'].entries()) {
      const r = commands[i]!;
      assert.equal(r.code, 0, command);
      assert.match(r.stdout, new RegExp(`Usage: alipay-notify ${command}`));
      assert.match(r.stdout, /Exit codes:/);
    }
  });

  test('no command, an unknown command or an unknown option is exit 2 with a hint on stderr', async () => {
    const [none, unknown, badOption, ftp, speed] = await Promise.all(
      [[], ['frobnicate'], ['send', 'http://127.0.0.1:1/', '--bogus'], ['send', 'ftp://example/'], ['send', 'http://127.0.0.1:1/', '--retry', '--speed', '0']].map((a) => cli(a)),
    );
    for (const r of [none, unknown, badOption, ftp, speed]) assert.equal(r!.code, 2);
    assert.match(unknown!.stderr, /unknown command/);
    assert.match(badOption!.stderr, /send --help/);
  });
});

describe('keygen', { concurrency: true }, () => {
  test('writes a usable pair, prints its base64 public key, refuses to overwrite without --force', async () => {
    const out = join(dir, 'kg');
    const r = await cli(['keygen', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const b64 = /ALIPAY_PUBLIC_KEY=([A-Za-z0-9+/=]+)/.exec(r.stdout)?.[1];
    assert.ok(b64);
    // The printed key is the public half of the written private key: a body signed with it verifies.
    const signed = await cli(['sign', '--key', join(out, 'alipay-test-private-key.pem')]);
    assert.equal(createNotifyVerifier({ alipayPublicKey: b64, appId: APP_ID }).verifyRefund(Buffer.from(signed.stdout, 'latin1')).kind, 'trade_refund');
    const again = await cli(['keygen', '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists/);
    assert.equal((await cli(['keygen', '--out', out, '--force'])).code, 0);
  });

  test('--cert writes certificate-mode files that verify with alipayPublicCert + alipayRootCert', async () => {
    const out = join(dir, 'certs');
    const r = await cli(['keygen', '--out', out, '--cert', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout) as { alipayCertSn: string };
    const cert = join(out, 'alipayCertPublicKey_RSA2.test.crt');
    const signed = await cli(['sign', '--key', join(out, 'alipay-test-private-key.pem'), '--cert', cert, '--json']);
    const { fields } = JSON.parse(signed.stdout) as { fields: Record<string, string> };
    assert.equal(fields['alipay_cert_sn'], info.alipayCertSn);
    const v = await cli(['verify', '-', '--cert', cert, '--root-cert', join(out, 'alipayRootCert.test.crt'), '--app-id', APP_ID, '--json'], {
      input: Buffer.from((JSON.parse(signed.stdout) as { body: string }).body, 'latin1'),
    });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal((JSON.parse(v.stdout) as { ok: boolean }).ok, true);
  });
});

describe('sign and verify', { concurrency: true }, () => {
  test('a GBK full refund round-trips through stdin; verify prints the typed result', async () => {
    const signed = await cli(['sign', '--key', key, '--kind', 'full-refund', '--charset', 'GBK']);
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stdout, /(^|&)charset=GBK(&|$)/);
    assert.ok(!signed.stdout.endsWith('\n'), 'the body is printed byte for byte');
    const v = await cli(['verify', '--public-key', pub, '--app-id', APP_ID, '--json'], { input: Buffer.from(signed.stdout, 'latin1') });
    assert.equal(v.code, 0, v.stdout);
    const n = (JSON.parse(v.stdout) as { notification: Record<string, unknown> }).notification;
    assert.equal(n['kind'], 'trade_refund');
    assert.equal(n['refundType'], 'full');
    assert.equal(n['charset'], 'gbk');
    assert.deepEqual(n['refundFee'], { fen: 10000, yuan: '100.00' });
    const human = await cli(['verify', '--public-key', pub, '--app-id', APP_ID], { input: Buffer.from(signed.stdout, 'latin1') });
    assert.match(human.stdout, /verified trade_refund/);
  });

  test('a tampered body and a body for another app fail with exit 1 and their error codes', async () => {
    const file = join(dir, 'tampered.body');
    const signed = await cli(['sign', '--key', key, '--set', 'refund_fee=30.00']);
    writeFileSync(file, signed.stdout.replace('refund_fee=30.00', 'refund_fee=99.00'), 'latin1');
    const forged = await cli(['verify', file, `--public-key=${readFileSync(pub, 'utf8')}`, '--app-id', APP_ID, '--json']);
    assert.equal(forged.code, 1);
    const report = JSON.parse(forged.stdout) as { code: string; diagnosis: { cause: string } };
    assert.equal(report.code, 'ERR_SIGNATURE_INVALID');
    // The diagnosis (issue 3) tells a changed value from a wrong key.
    assert.equal(report.diagnosis.cause, 'content-changed');
    const other = await cli(['verify', '--public-key', pub, '--app-id', '2021999999999999'], { input: Buffer.from(signed.stdout, 'latin1') });
    assert.equal(other.code, 1);
    assert.match(other.stdout, /ERR_APP_ID_MISMATCH/);
  });

  test('deposit-back, MD5 batch refund and --fields JSON are signed as Alipay signs them', async () => {
    const db = await cli(['sign', '--key', key, '--kind', 'depositback']);
    const dbv = await cli(['verify', '--public-key', pub, '--app-id', APP_ID, '--refund-only', '--json'], { input: Buffer.from(db.stdout, 'latin1') });
    assert.equal((JSON.parse(dbv.stdout) as { notification: { kind: string } }).notification.kind, 'refund_depositback');

    const batch = await cli(['sign', '--kind', 'batch-refund', '--md5-key', 'test-partner-key']);
    assert.equal(batch.code, 0, batch.stderr);
    const bv = await cli(['verify', '--md5-key', 'test-partner-key', '--partner', '2088000000000000', '--json'], { input: Buffer.from(batch.stdout, 'latin1') });
    assert.equal((JSON.parse(bv.stdout) as { notification: { kind: string } }).notification.kind, 'batch_refund', bv.stdout);

    const fields = JSON.stringify({ notify_type: 'trade_status_sync', notify_id: 'n1', notify_time: '2024-01-02 03:04:05', app_id: APP_ID, trade_no: 't', out_trade_no: 'o', trade_status: 'TRADE_SUCCESS' });
    const own = await cli(['sign', '--key', key, '--fields', '-', '--json'], { input: fields });
    const { body } = JSON.parse(own.stdout) as { body: string };
    assert.equal(createNotifyVerifier({ alipayPublicKey: readFileSync(pub, 'utf8'), appId: APP_ID }).verify(Buffer.from(body, 'latin1')).kind, 'trade');
    assert.equal((await cli(['sign', '--key', key, '--fields', '-'], { input: '[1]' })).code, 2);
  });
});

describe('send', { concurrency: true }, () => {
  test('posts with Alipay\'s exact headers and charset; exit 0 on exactly "success"', async () => {
    const verifier = createNotifyVerifier({ alipayPublicKey: readFileSync(pub, 'utf8'), appId: APP_ID });
    const endpoint = await startEndpoint((r) => {
      try {
        verifier.verifyRefund(r.body);
        return { body: 'success' };
      } catch (err) {
        return { body: err instanceof AlipayNotifyError ? 'fail' : 'error' };
      }
    });
    try {
      const utf8 = await cli(['send', endpoint.url, '--key', key]);
      assert.equal(utf8.code, 0, utf8.stdout + utf8.stderr);
      const gbk = await cli(['send', endpoint.url, '--key', key, '--kind', 'full-refund', '--charset', 'GBK', '--json']);
      assert.equal(gbk.code, 0, gbk.stdout);
      const [first, second] = endpoint.received;
      assert.equal(first!.method, 'POST');
      assert.equal(first!.headers['content-type'], 'application/x-www-form-urlencoded; text/html; charset=UTF-8');
      assert.equal(first!.headers['user-agent'], 'Mozilla/4.0');
      assert.equal(second!.headers['content-type'], 'application/x-www-form-urlencoded; text/html; charset=GBK');
      const report = JSON.parse(gbk.stdout) as { acknowledged: boolean; attempts: { status: number; reply: string }[] };
      assert.equal(report.acknowledged, true);
      assert.deepEqual(report.attempts.map((a) => [a.status, a.reply]), [[200, 'success']]);
    } finally {
      await endpoint.close();
    }
  });

  test('anything but exactly "success" is not acknowledged, with what was wrong; the CLI exits 1', async () => {
    const replies = [{ body: 'fail' }, { body: 'success\n' }, { body: 'SUCCESS' }, { status: 500, body: 'success' }, { status: 302, body: '' }];
    const endpoint = await startEndpoint((_r, n) => replies[n - 1]!);
    try {
      const viaCli = await cli(['send', endpoint.url, '--key', key, '--json']);
      assert.equal(viaCli.code, 1, viaCli.stdout);
      const verdicts = [(JSON.parse(viaCli.stdout) as { attempts: PostOutcome[] }).attempts[0]!];
      for (let i = 1; i < replies.length; i++) verdicts.push(await postNotification(new URL(endpoint.url), Buffer.from('a=b'), 'UTF-8', 5000));
      assert.ok(verdicts.every((v) => !v.acknowledged));
      assert.match(verdicts[0]!.verdict, /not "success"/);
      assert.match(verdicts[1]!.verdict, /whitespace/);
      assert.match(verdicts[2]!.verdict, /lowercase/);
      assert.match(verdicts[3]!.verdict, /HTTP 500/);
      assert.match(verdicts[4]!.verdict, /redirect/);
    } finally {
      await endpoint.close();
    }
  });

  test('--retry replays the same notification on Alipay\'s schedule until "success"', async () => {
    const endpoint = await startEndpoint((_r, n) => (n < 3 ? { status: n === 1 ? 500 : 200, body: 'fail' } : { body: 'success' }));
    try {
      const r = await cli(['send', endpoint.url, '--key', key, '--retry', '--speed', '1000000']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(endpoint.received.length, 3);
      assert.ok(endpoint.received.every((x) => x.body.equals(endpoint.received[0]!.body)), 'every retry carries the same body and notify_id');
      // Not a TTY: plain lines, one per attempt and per wait, naming Alipay's own times.
      assert.match(r.stdout, /✖ #1\/8 \(Alipay \+0 *\) HTTP 500/);
      assert.match(r.stdout, /next: #2\/8 in .* \(Alipay waits 4m\)/);
      assert.match(r.stdout, /✔ #3\/8 \(Alipay \+14m *\) HTTP 200/);
      assert.match(r.stdout, /acknowledged on send 3 of 8/);
    } finally {
      await endpoint.close();
    }
  });

  test('--retry gives up after 8 sends, like Alipay, and reports each one', async () => {
    const endpoint = await startEndpoint(() => ({ body: 'fail' }));
    try {
      const r = await cli(['send', endpoint.url, '--key', key, '--retry', '--speed', '10000000', '--json']);
      assert.equal(r.code, 1);
      const report = JSON.parse(r.stdout) as { acknowledged: boolean; attempts: { attempt: number; alipayAt: string }[] };
      assert.equal(report.acknowledged, false);
      assert.deepEqual(report.attempts.map((a) => a.alipayAt), ['+0', '+4m', '+14m', '+24m', '+1h24m', '+3h24m', '+9h24m', '+24h24m']);
      assert.equal(endpoint.received.length, 8);
    } finally {
      await endpoint.close();
    }
  });

  test('--save-body then --body replays the exact bytes (a duplicate); unreachable is exit 3', async () => {
    const endpoint = await startEndpoint(() => ({ body: 'success' }));
    const saved = join(dir, 'saved.body');
    try {
      assert.equal((await cli(['send', endpoint.url, '--key', key, '--charset', 'GBK', '--save-body', saved])).code, 0);
      assert.equal((await cli(['send', endpoint.url, '--body', saved])).code, 0);
      assert.ok(endpoint.received[1]!.body.equals(readFileSync(saved)));
      assert.ok(endpoint.received[0]!.body.equals(endpoint.received[1]!.body));
      assert.equal(endpoint.received[1]!.headers['content-type'], 'application/x-www-form-urlencoded; text/html; charset=GBK');
    } finally {
      await endpoint.close();
    }
    const gone = await cli(['send', endpoint.url, '--body', saved, '--json']);
    assert.equal(gone.code, 3);
    assert.equal((JSON.parse(gone.stdout) as { attempts: { error: string }[] }).attempts[0]!.error, 'ECONNREFUSED');
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
