// What new users of the `alipay-notify` CLI run into, each case run as a real child process: the
// examples in every --help page run as shown, times read in Beijing time, options take their value
// after a space even when it starts with dashes (a PEM), a failed send says what the endpoint
// answered and where to look, and /alipay/notify is the path everywhere.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import express from 'express5';
import { createExpressHandler } from '../../src/adapters/express.js';
import { createNotifyVerifier } from '../../src/index.js';
import { generateTestKeyPair } from '../../src/testing/index.js';
import { AlipayNotifyError } from '../../src/errors/index.js';
import { cli, keygenDir, cliEntry, startEndpoint, type CliResult } from '../support/cli-harness.js';

const APP_ID = '2021000000000000';
const { dir, key, pub } = keygenDir('cli-frictions', ['--json']);
const otherPublicKey = generateTestKeyPair().publicKey;

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('every example in --help runs as shown', () => {
  /** Runs one shell line with `alipay-notify` on the PATH, as a user would paste it. */
  function shell(line: string, cwd: string, env: Record<string, string>): Promise<CliResult> {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const shim = join(bin, 'alipay-notify');
    writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliEntry)} "$@"\n`);
    chmodSync(shim, 0o755);
    return new Promise((resolve, reject) => {
      const clean: NodeJS.ProcessEnv = { ...process.env, ...env, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
      delete clean['APP_ID'];
      const child = spawn('/bin/sh', ['-c', line], { cwd, env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** The command lines of a help page's "Examples:" or "Quick start:" block. */
  function examplesOf(help: string): string[] {
    const block = /^(?:Examples|Quick start):\n((?: {2}.+\n)+)/m.exec(`${help}\n`);
    assert.ok(block, `no examples in:\n${help}`);
    return block[1]!
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  }

  for (const page of ['', 'keygen', 'sign', 'send', 'verify']) {
    test(`alipay-notify ${page === '' ? '' : `${page} `}--help`, async () => {
      const help = await cli(page === '' ? ['--help'] : [page, '--help']);
      assert.equal(help.code, 0);
      const examples = examplesOf(help.stdout);
      // The endpoint of the examples is the one the README and the examples use.
      for (const url of help.stdout.match(/https?:\/\/\S+/g) ?? [])
        assert.match(url, /^http:\/\/127\.0\.0\.1:3000\/alipay\/notify$/);
      // keygen's own examples and the quick start start from an empty directory; the others from
      // one where keygen ran and a body was captured, with ALIPAY_PUBLIC_KEY set as keygen said.
      const cwd = mkdtempSync(join(dir, `help-${page || 'top'}-`));
      const env: Record<string, string> = {};
      if (page !== '' && page !== 'keygen') {
        const kg = await cli(['keygen'], { cwd });
        env['ALIPAY_PUBLIC_KEY'] = /ALIPAY_PUBLIC_KEY=(\S+)/.exec(kg.stdout)![1]!;
        assert.equal((await cli(['sign', '--out', 'captured.body'], { cwd })).code, 0);
      }
      // A real endpoint that verifies with the key in that directory: "success" only if it verifies.
      const endpoint = await startEndpoint((r) => {
        try {
          createNotifyVerifier({
            alipayPublicKey: readFileSync(join(cwd, 'alipay-test-public-key.pem'), 'utf8'),
            appId: APP_ID,
          }).verify(r.body);
          return { body: 'success' };
        } catch (err) {
          return { body: err instanceof AlipayNotifyError ? 'fail' : String(err) };
        }
      });
      try {
        for (const line of examples) {
          // Only the port differs from what is shown: port 3000 may be taken on this machine.
          const r = await shell(line.replaceAll('http://127.0.0.1:3000', new URL(endpoint.url).origin), cwd, env);
          assert.equal(r.code, 0, `${line}\n${r.stdout}${r.stderr}`);
        }
        if (page === 'send' || page === '') assert.ok(endpoint.received.length > 0);
        for (const r of endpoint.received) assert.equal(r.url, '/alipay/notify');
      } finally {
        await endpoint.close();
      }
    });
  }
});

describe('times are shown in Beijing time, as Alipay sent them', { concurrency: true }, () => {
  test('gmt_refund and bank_ack_time read as sent, with +08:00; --json keeps ISO 8601 UTC', async () => {
    const [refund, late, depositback] = await Promise.all([
      cli(['sign', '--key', key, '--set', 'gmt_refund=2026-12-03 18:04:05']),
      cli(['sign', '--key', key, '--set', 'gmt_refund=2026-12-04 02:00:00.320']),
      cli(['sign', '--key', key, '--kind', 'depositback', '--json']),
    ]);
    const verify = (body: string, json: boolean) =>
      cli(['verify', '--public-key', pub, '--app-id', APP_ID, ...(json ? ['--json'] : [])], { input: bytes(body) });
    const [a, b, c, aJson, bJson] = await Promise.all([
      verify(refund.stdout, false),
      verify(late.stdout, false),
      verify((JSON.parse(depositback.stdout) as { body: string }).body, false),
      verify(refund.stdout, true),
      verify(late.stdout, true),
    ]);
    assert.match(a.stdout, /gmt_refund 2026-12-03 18:04:05 \+08:00,/);
    // 02:00 in Beijing is still the previous day in UTC: the date shown is Beijing's.
    assert.match(b.stdout, /gmt_refund 2026-12-04 02:00:00\.320 \+08:00,/);
    // A deposit-back carries its time inside biz_content: shown as written there.
    const sent = (
      JSON.parse((JSON.parse(depositback.stdout) as { fields: { biz_content: string } }).fields.biz_content) as {
        bank_ack_time: string;
      }
    ).bank_ack_time;
    assert.ok(c.stdout.includes(`bank_ack_time ${sent} +08:00\n`), `${sent}\n${c.stdout}`);
    assert.equal(
      (JSON.parse(aJson.stdout) as { notification: { gmtRefund: string } }).notification.gmtRefund,
      '2026-12-03T10:04:05.000Z',
    );
    assert.equal(
      (JSON.parse(bJson.stdout) as { notification: { gmtRefund: string } }).notification.gmtRefund,
      '2026-12-03T18:00:00.320Z',
    );
  });
});

describe('options take their value after a space, even one that starts with dashes', { concurrency: true }, () => {
  test('--public-key "$(cat key.pem)", --md5-key -x, --set -… and --timeout -5', async () => {
    const pem = readFileSync(pub, 'utf8').trimEnd();
    const signed = await cli(['sign', '--key', key]);
    const batch = await cli(['sign', '--kind', 'batch-refund', '--md5-key', '--partner-key--']);
    assert.equal(batch.code, 0, batch.stderr);
    const [byPem, byMd5, setDash, timeout, missing] = await Promise.all([
      cli(['verify', '--public-key', pem, '--app-id', APP_ID], { input: bytes(signed.stdout) }),
      cli(['verify', '--md5-key', '--partner-key--', '--partner', '2088000000000000'], { input: bytes(batch.stdout) }),
      cli(['sign', '--key', key, '--set', 'out_biz_no=-1', '--json']),
      cli(['send', 'http://127.0.0.1:1/alipay/notify', '--timeout', '-5']),
      cli(['verify', '--public-key', pub, '--app-id', '--json'], { input: bytes(signed.stdout) }),
    ]);
    assert.equal(byPem.code, 0, byPem.stdout + byPem.stderr);
    assert.match(byPem.stdout, /^verified trade_refund/);
    assert.equal(byMd5.code, 0, byMd5.stdout + byMd5.stderr);
    assert.equal(setDash.code, 0, setDash.stderr);
    assert.equal((JSON.parse(setDash.stdout) as { fields: Record<string, string> }).fields['out_biz_no'], '-1');
    assert.equal(timeout.code, 2);
    assert.match(timeout.stderr, /--timeout must be a positive number/);
    // An option where a value should be is still a missing value, not the value.
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--app-id/);
    const [shortHelp, helpAsValue] = await Promise.all([cli(['sign', '-h']), cli(['verify', '--public-key', '-h'])]);
    assert.equal(shortHelp.code, 0);
    assert.match(shortHelp.stdout, /^Usage: alipay-notify sign/);
    assert.equal(helpAsValue.code, 2);
    assert.match(helpAsValue.stderr, /--public-key/);
  });

  test('keygen --out, send --key, --save-body and --body take names that start with a dash; -- ends the options', async () => {
    const cwd = mkdtempSync(join(dir, 'dashes-'));
    const kg = await cli(['keygen', '--out', '-keys'], { cwd });
    assert.equal(kg.code, 0, kg.stderr);
    const endpoint = await startEndpoint(() => ({ body: 'success' }));
    try {
      assert.equal(
        (
          await cli(
            ['send', endpoint.url, '--key', '-keys/alipay-test-private-key.pem', '--save-body', '-saved.body'],
            { cwd },
          )
        ).code,
        0,
      );
      assert.equal((await cli(['send', '--body', '-saved.body', '--', endpoint.url], { cwd })).code, 0);
      assert.ok(endpoint.received[1]!.body.equals(readFileSync(join(cwd, '-saved.body'))));
    } finally {
      await endpoint.close();
    }
  });
});

describe('a failed send says what the endpoint answered and where to look', { concurrency: true }, () => {
  const answers: Record<string, { status: number; body: string }> = {
    '/alipay/notify': { status: 500, body: 'Internal Server Error: TypeError: cannot read properties of undefined' },
    '/notify': { status: 404, body: 'Cannot POST /notify' },
    '/parsed': { status: 415, body: 'Unsupported Media Type' },
    '/csrf': { status: 403, body: 'invalid csrf token' },
    '/refused': { status: 200, body: 'fail' },
    '/html': { status: 200, body: `<!doctype html><title>Shop</title>${'x'.repeat(300)}` },
  };
  const hints: Record<string, RegExp> = {
    '/alipay/notify': /^hint: the handler threw or the adapter is mis-mounted; see the server log$/m,
    '/notify':
      /^hint: nothing answers POST \/notify: check the path the handler is mounted on \(the examples use \/alipay\/notify\)/m,
    '/parsed': /^hint: a body parser in front of the route refused Alipay's Content-Type/m,
    '/csrf': /^hint: CSRF protection or auth in front of the route refused it/m,
    '/refused': /^hint: your endpoint refused it: it did not verify there or the handler failed/m,
    '/html': /^hint: answer exactly the 7 bytes "success"/m,
  };

  test('500, 404, 415, 403, "fail" and a page: the status, the start of the body, a hint', async () => {
    const endpoint = await startEndpoint((r) => answers[r.url]!);
    try {
      const origin = new URL(endpoint.url).origin;
      const paths = Object.keys(answers);
      const results = await Promise.all(paths.map((p) => cli(['send', `${origin}${p}`, '--key', key])));
      results.forEach((r, i) => {
        const path = paths[i]!;
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const { status, body } = answers[path]!;
        const shown = body.length > 200 ? `${body.slice(0, 200)}…` : body;
        assert.ok(r.stdout.includes(`\nthe endpoint answered HTTP ${status}: ${shown}\n`), r.stdout);
        assert.match(r.stdout, hints[path]!);
      });
      const json = await cli(['send', `${origin}/csrf`, '--key', key, '--json']);
      assert.match(
        (JSON.parse(json.stdout) as { attempts: { hint: string }[] }).attempts[0]!.hint,
        /exempt the notify route/,
      );
    } finally {
      await endpoint.close();
    }
  });

  test('a real Express app: the adapter mis-mounted behind a body parser, a wrong key, a handler that throws, a wrong path', async () => {
    const app = express();
    const options = {
      alipayPublicKey: readFileSync(pub, 'utf8'),
      appId: APP_ID,
      onNotification: 'acknowledge' as const,
      onError: () => undefined,
    };
    app.post('/alipay/notify', createExpressHandler({ ...options, onRefund: () => undefined }));
    app.post(
      '/parsed',
      express.urlencoded({ extended: false }),
      createExpressHandler({ ...options, onRefund: () => undefined }),
    );
    app.post(
      '/other-key',
      createExpressHandler({ ...options, alipayPublicKey: otherPublicKey, onRefund: () => undefined }),
    );
    app.post('/throws', createExpressHandler({ ...options, onRefund: () => Promise.reject(new Error('db down')) }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const cases: [string, number, RegExp][] = [
        ['/alipay/notify', 0, /^$/],
        [
          '/parsed',
          1,
          /^the endpoint answered HTTP 500: fail\nhint: the handler threw or the adapter is mis-mounted \(a body parser ran first: ERR_BODY_ALREADY_PARSED\)/m,
        ],
        [
          '/other-key',
          1,
          /^the endpoint answered HTTP 400: fail\nhint: the adapter refused it: it did not verify with the key and app id the endpoint has/m,
        ],
        ['/throws', 1, /^the endpoint answered HTTP 500: fail\nhint: the handler threw/m],
        [
          '/notify',
          1,
          /^the endpoint answered HTTP 404: .*Cannot POST \/notify.*\nhint: nothing answers POST \/notify: check the path/m,
        ],
      ];
      const results = await Promise.all(cases.map(([path]) => cli(['send', `${origin}${path}`, '--key', key])));
      results.forEach((r, i) => {
        const [path, code, shown] = cases[i]!;
        assert.equal(r.code, code, `${path}: ${r.stdout}${r.stderr}`);
        if (code === 0) assert.doesNotMatch(r.stdout, /hint:/);
        else assert.match(r.stdout, shown, path);
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('an empty answer is said to be empty; "success" prints nothing more', async () => {
    const endpoint = await startEndpoint((r) =>
      r.url === '/alipay/notify' ? { body: 'success' } : { status: 502, body: '' },
    );
    try {
      const origin = new URL(endpoint.url).origin;
      const [empty, ok] = await Promise.all([
        cli(['send', `${origin}/gateway`, '--key', key, '--retry', '--speed', '100000000']),
        cli(['send', endpoint.url, '--key', key]),
      ]);
      assert.equal(empty.code, 1);
      assert.match(
        empty.stdout,
        /^never acknowledged: Alipay would have given up after 8 sends \(about 25 hours\)\nthe endpoint answered HTTP 502 with an empty body\nhint: a proxy in front could not reach your app/m,
      );
      assert.equal(ok.code, 0);
      assert.doesNotMatch(ok.stdout, /the endpoint answered|hint:/);
    } finally {
      await endpoint.close();
    }
  });
});
