// `alipay-notify send` (src/cli/commands/send.ts, post-notification.ts, retry-schedule.ts), run as
// a real child process against real endpoints on 127.0.0.1: Alipay's exact headers and charset,
// what counts as an acknowledgement, Alipay's retry schedule, replays of saved bodies, and option
// mistakes (exit 2). How each answer is judged: post-notification.test.ts.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createNotifyVerifier } from '../../src/index.js';
import { AlipayNotifyError } from '../../src/errors/index.js';
import { postNotification, type PostOutcome } from '../../src/testing/post-notification.js';
import { cli, keygenDir, startEndpoint } from '../support/cli-harness.js';

const APP_ID = '2021000000000000';
// keygen --json ran in `dir`: send run there finds the key by itself.
const { dir, key, pub } = keygenDir('cli-send', ['--json']);

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
      const gbk = await cli([
        'send',
        endpoint.url,
        '--key',
        key,
        '--kind',
        'full-refund',
        '--charset',
        'GBK',
        '--json',
      ]);
      assert.equal(gbk.code, 0, gbk.stdout);
      const [first, second] = endpoint.received;
      assert.equal(first!.method, 'POST');
      assert.equal(first!.headers['content-type'], 'application/x-www-form-urlencoded; text/html; charset=UTF-8');
      assert.equal(first!.headers['user-agent'], 'Mozilla/4.0');
      assert.equal(second!.headers['content-type'], 'application/x-www-form-urlencoded; text/html; charset=GBK');
      const report = JSON.parse(gbk.stdout) as { acknowledged: boolean; attempts: { status: number; reply: string }[] };
      assert.equal(report.acknowledged, true);
      assert.deepEqual(
        report.attempts.map((a) => [a.status, a.reply]),
        [[200, 'success']],
      );
    } finally {
      await endpoint.close();
    }
  });

  test('anything but exactly "success" is not acknowledged, with what was wrong; the CLI exits 1', async () => {
    const replies = [
      { body: 'fail' },
      { body: 'success\n' },
      { body: 'SUCCESS' },
      { status: 500, body: 'success' },
      { status: 302, body: '' },
    ];
    const endpoint = await startEndpoint((_r, n) => replies[n - 1]!);
    try {
      const viaCli = await cli(['send', endpoint.url, '--key', key, '--json']);
      assert.equal(viaCli.code, 1, viaCli.stdout);
      const verdicts = [(JSON.parse(viaCli.stdout) as { attempts: PostOutcome[] }).attempts[0]!];
      for (let i = 1; i < replies.length; i++)
        verdicts.push(await postNotification(new URL(endpoint.url), Buffer.from('a=b'), 'UTF-8', 5000));
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
    const endpoint = await startEndpoint((_r, n) =>
      n < 3 ? { status: n === 1 ? 500 : 200, body: 'fail' } : { body: 'success' },
    );
    try {
      const r = await cli(['send', endpoint.url, '--key', key, '--retry', '--speed', '1000000']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(endpoint.received.length, 3);
      assert.ok(
        endpoint.received.every((x) => x.body.equals(endpoint.received[0]!.body)),
        'every retry carries the same body and notify_id',
      );
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
      const report = JSON.parse(r.stdout) as {
        acknowledged: boolean;
        attempts: { attempt: number; alipayAt: string }[];
      };
      assert.equal(report.acknowledged, false);
      assert.deepEqual(
        report.attempts.map((a) => a.alipayAt),
        ['+0', '+4m', '+14m', '+24m', '+1h24m', '+3h24m', '+9h24m', '+24h24m'],
      );
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
      assert.equal(
        endpoint.received[1]!.headers['content-type'],
        'application/x-www-form-urlencoded; text/html; charset=GBK',
      );
    } finally {
      await endpoint.close();
    }
    const gone = await cli(['send', endpoint.url, '--body', saved, '--json']);
    assert.equal(gone.code, 3);
    assert.equal((JSON.parse(gone.stdout) as { attempts: { error: string }[] }).attempts[0]!.error, 'ECONNREFUSED');
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
      const results = await Promise.all(
        cases.map((_, i) =>
          cli(['send', endpoint.url, '--body', join(dir, `saved-${i}.body`), '--json'], { cwd: dir }),
        ),
      );
      results.forEach((r, i) => {
        assert.equal(r.code, 0, r.stderr);
        assert.equal((JSON.parse(r.stdout) as { charset: string }).charset, cases[i]![1], cases[i]![0]);
      });
      const types = endpoint.received.map((x) => [x.body.toString('latin1'), x.headers['content-type']]);
      for (const [body, label] of cases)
        assert.ok(
          types.some(([b, t]) => b === body && t === `application/x-www-form-urlencoded; text/html; charset=${label}`),
          body,
        );
    } finally {
      await endpoint.close();
    }
  });

  test('--fields from a file is signed and sent', async () => {
    const endpoint = await startEndpoint(() => ({ body: 'success' }));
    try {
      const file = join(dir, 'fields.json');
      writeFileSync(
        file,
        JSON.stringify({
          notify_type: 'trade_status_sync',
          notify_id: 'n-fields',
          notify_time: '2024-01-02 03:04:05',
          app_id: APP_ID,
          trade_no: 't',
          out_trade_no: 'o',
          trade_status: 'TRADE_SUCCESS',
        }),
      );
      const r = await cli(['send', endpoint.url, '--fields', file], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(endpoint.received[0]!.body.toString('latin1'), /(^|&)notify_id=n-fields(&|$)/);
    } finally {
      await endpoint.close();
    }
  });
});
