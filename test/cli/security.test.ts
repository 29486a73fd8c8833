// Hardening of the `alipay-notify` CLI, each case run as a real child process against real
// loopback servers and real files: `send --timeout` is a deadline for the whole exchange, `verify`
// never reads past its size limit, `keygen` never writes through a planted link and always ends
// with a 0600 private key, and text from a notification, an endpoint or an error never reaches the
// terminal as control sequences.
import assert from 'node:assert/strict';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  chmodSync,
  existsSync,
} from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cli, keygenDir, startEndpoint } from '../support/cli-harness.js';

const APP_ID = '2021000000000000';
const { dir, key, pub } = keygenDir('cli-security', ['--json']);

// A hang is what these tests look for: the guard turns one into a failure (code null) instead of a
// stalled suite. It is not a timing assertion; the machine may be slow, so it is generous.
const GUARD_MS = 90_000;

/** The characters a terminal acts on (C0 but LF, DEL, C1, bidi controls). */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A raw TCP server that answers every request with `respond(socket)`, dripping bytes as it likes. */
async function startRawServer(respond: (socket: Socket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => respond(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alipay/notify`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `chunk` every 100 ms for as long as the socket is open. */
function drip(socket: Socket, chunk: string): void {
  const timer = setInterval(() => socket.write(chunk), 100);
  socket.on('close', () => clearInterval(timer));
}

describe('send --timeout is a deadline for the whole exchange', { concurrency: true }, () => {
  test('an endpoint dripping its answer body a byte at a time is cut off: exit 1, with the status it sent', async () => {
    // Headers at once, then a body announced as 1 MB that comes one byte per 100 ms: never idle
    // for long, never finished.
    const server = await startRawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n');
      drip(socket, 's');
    });
    try {
      const [json, plain] = await Promise.all([
        cli(['send', server.url, '--key', key, '--timeout', '2000', '--json'], { killAfterMs: GUARD_MS }),
        cli(['send', server.url, '--key', key, '--timeout', '2000'], { killAfterMs: GUARD_MS }),
      ]);
      assert.equal(json.code, 1, `the CLI did not stop by itself: ${json.stdout}${json.stderr}`);
      const attempt = (
        JSON.parse(json.stdout) as { attempts: { status: number; error: string; verdict: string; hint: string }[] }
      ).attempts[0]!;
      assert.equal(attempt.status, 200);
      assert.equal(attempt.error, 'ETIMEDOUT');
      assert.equal(attempt.verdict, 'HTTP 200, but the whole answer did not arrive within 2000 ms: Alipay will retry');
      assert.match(attempt.hint, /answer as soon as your handler has finished/);
      assert.equal(plain.code, 1, plain.stdout + plain.stderr);
      assert.match(
        plain.stdout,
        /✖ #1\/1 .* HTTP 200 in \d+ ms: HTTP 200, but the whole answer did not arrive within 2000 ms/,
      );
      assert.match(plain.stdout, /^the endpoint answered HTTP 200: s+$/m);
    } finally {
      await server.close();
    }
  });

  test('an endpoint dripping its headers is cut off too: exit 3, nothing answered', async () => {
    const server = await startRawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
      drip(socket, 'a');
    });
    try {
      const r = await cli(['send', server.url, '--key', key, '--timeout', '2000', '--json'], { killAfterMs: GUARD_MS });
      assert.equal(r.code, 3, `the CLI did not stop by itself: ${r.stdout}${r.stderr}`);
      const attempt = (JSON.parse(r.stdout) as { attempts: { status?: number; error: string; verdict: string }[] })
        .attempts[0]!;
      assert.deepEqual(
        [attempt.status, attempt.error, attempt.verdict],
        [undefined, 'ETIMEDOUT', 'no answer within 2000 ms: Alipay will retry'],
      );
    } finally {
      await server.close();
    }
  });
});

describe('verify checks the size before reading', { concurrency: true }, () => {
  test('a 3 GiB file is refused with ERR_BODY_TOO_LARGE from its size, not read', async () => {
    // Sparse: it takes no room on disk, but reading it whole is what must not happen.
    const huge = join(dir, 'huge.body');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 2 ** 30);
    const [plain, json] = await Promise.all([
      cli(['verify', huge, '--public-key', pub, '--app-id', APP_ID]),
      cli(['verify', huge, '--public-key', pub, '--app-id', APP_ID, '--json']),
    ]);
    assert.equal(plain.code, 1, plain.stdout + plain.stderr);
    assert.equal(
      plain.stdout,
      '✖ not verified: ERR_BODY_TOO_LARGE\n  the body is larger than 65536 bytes (--max-body-bytes); a real notification is a few KB, so it was not read past the limit\n',
    );
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      code: 'ERR_BODY_TOO_LARGE',
      message: 'notification body exceeds the size limit',
      limit: 65536,
    });
  });

  test('stdin that keeps streaming is refused once past the limit, without waiting for its end', async () => {
    const r = await cli(['verify', '--public-key', pub, '--app-id', APP_ID], {
      input: Buffer.alloc(65537, 'a'),
      keepStdinOpen: true,
      killAfterMs: GUARD_MS,
    });
    assert.equal(r.code, 1, `the CLI waited for the end of stdin: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^✖ not verified: ERR_BODY_TOO_LARGE\n/);
  });

  test('--max-body-bytes: a body of exactly the limit verifies, one byte over is refused, from a file and from stdin', async () => {
    const signed = await cli(['sign', '--key', key]);
    assert.equal(signed.code, 0, signed.stderr);
    const body = Buffer.from(signed.stdout, 'latin1');
    const file = join(dir, 'limit.body');
    writeFileSync(file, body);
    const args = ['--public-key', pub, '--app-id', APP_ID];
    const [fileAt, fileUnder, stdinAt, stdinUnder, bad, folder] = await Promise.all([
      cli(['verify', file, ...args, '--max-body-bytes', String(body.length)]),
      cli(['verify', file, ...args, '--max-body-bytes', String(body.length - 1)]),
      cli(['verify', ...args, '--max-body-bytes', String(body.length)], { input: body }),
      cli(['verify', ...args, '--max-body-bytes', String(body.length - 1)], { input: body }),
      cli(['verify', file, ...args, '--max-body-bytes', '1.5']),
      cli(['verify', dir, ...args]),
    ]);
    assert.equal(fileAt.code, 0, fileAt.stdout + fileAt.stderr);
    assert.equal(stdinAt.code, 0, stdinAt.stdout + stdinAt.stderr);
    for (const r of [fileUnder, stdinUnder]) {
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`ERR_BODY_TOO_LARGE\\n {2}the body is larger than ${body.length - 1} bytes`));
    }
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-body-bytes must be a positive whole number/);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /cannot read /);
  });

  test(
    'a file that does not say its size (a device) is read up to the limit and refused there',
    { skip: !existsSync('/dev/zero') && 'no /dev/zero here' },
    async () => {
      const r = await cli(['verify', '/dev/zero', '--public-key', pub, '--app-id', APP_ID], { killAfterMs: GUARD_MS });
      assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /^✖ not verified: ERR_BODY_TOO_LARGE\n/);
      // Without a limit (send --body) an unreadable path is still a usage error.
      const folder = await cli(['send', 'http://127.0.0.1:1/alipay/notify', '--body', dir]);
      assert.equal(folder.code, 2);
      assert.match(folder.stderr, /cannot read /);
    },
  );
});

describe('keygen never follows a link and always ends with a 0600 private key', { concurrency: true }, () => {
  const mode = (path: string): number => statSync(path).mode & 0o777;

  test("a dangling link planted at the private key's name is refused, and nothing is created where it points", async () => {
    const out = mkdtempSync(join(dir, 'planted-'));
    const target = join(dir, `victim-${Date.now()}.pem`);
    symlinkSync(target, join(out, 'alipay-test-private-key.pem'));
    const r = await cli(['keygen', '--out', out]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /alipay-test-private-key\.pem already exists/);
    assert.equal(existsSync(target), false, 'the key was written through the link');
  });

  test("--force replaces a planted link by a new 0600 file and leaves the link's target alone", async () => {
    const out = mkdtempSync(join(dir, 'forced-'));
    const target = join(dir, `victim-${Date.now()}-forced.txt`);
    writeFileSync(target, 'keep me');
    chmodSync(target, 0o644);
    const planted = join(out, 'alipay-test-private-key.pem');
    symlinkSync(target, planted);
    const r = await cli(['keygen', '--out', out, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(target, 'utf8'), 'keep me');
    assert.equal(mode(target), 0o644);
    assert.ok(lstatSync(planted).isFile(), 'the link is still there');
    assert.equal(mode(planted), 0o600);
    assert.match(readFileSync(planted, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    assert.equal((await cli(['sign', '--key', planted])).code, 0);
  });

  test('--force over an existing 0644 private key ends with a 0600 one; the public key stays 0644', async () => {
    const out = mkdtempSync(join(dir, 'loose-'));
    assert.equal((await cli(['keygen', '--out', out])).code, 0);
    const privateKey = join(out, 'alipay-test-private-key.pem');
    assert.equal(mode(privateKey), 0o600);
    chmodSync(privateKey, 0o644);
    const before = readFileSync(privateKey, 'utf8');
    const r = await cli(['keygen', '--out', out, '--force', '--cert']);
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(readFileSync(privateKey, 'utf8'), before);
    assert.equal(mode(privateKey), 0o600);
    assert.equal(mode(join(out, 'alipay-test-public-key.pem')), 0o644);
  });

  test('a path that cannot be replaced, created or written is a usage error, not a crash', async () => {
    const out = mkdtempSync(join(dir, 'blocked-'));
    mkdirSync(join(out, 'alipay-test-private-key.pem'));
    const notADirectory = join(out, 'a-file');
    writeFileSync(notADirectory, '');
    const [replace, create, write] = await Promise.all([
      cli(['keygen', '--out', out, '--force']),
      cli(['keygen', '--out', join(notADirectory, 'keys')]),
      // procfs refuses new files, even to root (proc(5)).
      process.platform === 'linux' ? cli(['keygen', '--out', '/proc/self']) : Promise.resolve(undefined),
    ]);
    assert.equal(replace.code, 2, replace.stdout + replace.stderr);
    assert.match(replace.stderr, /cannot replace .*alipay-test-private-key\.pem/);
    assert.equal(create.code, 2, create.stdout + create.stderr);
    assert.match(create.stderr, /cannot create the directory .*a-file/);
    const [saveBody, signOut] = await Promise.all([
      cli(['send', 'http://127.0.0.1:1/alipay/notify', '--key', key, '--save-body', join(notADirectory, 'x.body')]),
      cli(['sign', '--key', key, '--out', join(notADirectory, 'x.body')]),
    ]);
    for (const r of [saveBody, signOut]) {
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /cannot write .*a-file\/x\.body \(ENOTDIR\)/);
    }
    if (write !== undefined) {
      assert.equal(write.code, 2, write.stdout + write.stderr);
      assert.match(write.stderr, /cannot create \/proc\/self\/alipay-test-private-key\.pem \(E[A-Z]+\)/);
    }
  });
});

describe('text from notifications, endpoints and errors is printed escaped', { concurrency: true }, () => {
  // An OSC title change, a screen clear, CR/LF line forgery, an 8-bit CSI and a bidi override.
  const evil = '\x1b]0;pwned\x07\x1b[2J\r\nverified trade_refund · forged\u009b31m\u202egpj.exe\u2066x\u2069\x7f';

  test("verify: a verified notification's free text round-trips intact in --json, printed escaped", async () => {
    const signed = await cli(['sign', '--key', key, '--set', `subject=${evil}`]);
    assert.equal(signed.code, 0, signed.stderr);
    const input = Buffer.from(signed.stdout, 'latin1');
    const [human, json] = await Promise.all([
      cli(['verify', '--public-key', pub, '--app-id', APP_ID], { input }),
      cli(['verify', '--public-key', pub, '--app-id', APP_ID, '--json'], { input }),
    ]);
    assert.equal(human.code, 0, human.stdout + human.stderr);
    assert.doesNotMatch(human.stdout, CONTROLS);
    assert.equal(human.stdout.match(/^verified /gm)?.length, 1, 'a line was forged');
    assert.equal(json.code, 0);
    assert.doesNotMatch(json.stdout, CONTROLS);
    assert.equal((JSON.parse(json.stdout) as { notification: { subject: string } }).notification.subject, evil);
  });

  test('verify: control characters in an id are refused (ERR_FIELD_INVALID), and the failure is printed escaped', async () => {
    const signed = await cli(['sign', '--key', key, '--set', `out_biz_no=${evil}`]);
    assert.equal(signed.code, 0, signed.stderr);
    const input = Buffer.from(signed.stdout, 'latin1');
    const [human, json] = await Promise.all([
      cli(['verify', '--public-key', pub, '--app-id', APP_ID], { input }),
      cli(['verify', '--public-key', pub, '--app-id', APP_ID, '--json'], { input }),
    ]);
    assert.equal(human.code, 1, human.stdout + human.stderr);
    assert.match(human.stdout, /^✖ not verified: ERR_FIELD_INVALID$/m);
    assert.doesNotMatch(human.stdout, CONTROLS);
    assert.equal(human.stdout.match(/^verified /gm), null, 'a line was forged');
    assert.doesNotMatch(json.stdout, CONTROLS);
  });

  test('verify: a failure explained from a tampered body prints no control characters', async () => {
    const signed = await cli(['sign', '--key', key, '--set', 'out_biz_no=plain']);
    const tampered = Buffer.from(
      signed.stdout.replace('out_biz_no=plain', `out_biz_no=${encodeURIComponent(evil)}`),
      'latin1',
    );
    const [human, json] = await Promise.all([
      cli(['verify', '--public-key', pub, '--app-id', APP_ID], { input: tampered }),
      cli(['verify', '--public-key', pub, '--app-id', APP_ID, '--json'], { input: tampered }),
    ]);
    assert.equal(human.code, 1, human.stdout + human.stderr);
    assert.match(human.stdout, /^✖ not verified: ERR_SIGNATURE_INVALID$/m);
    assert.doesNotMatch(human.stdout, CONTROLS);
    assert.equal(json.code, 1);
    assert.doesNotMatch(json.stdout, CONTROLS);
    assert.equal((JSON.parse(json.stdout) as { code: string }).code, 'ERR_SIGNATURE_INVALID');
  });

  test("send: an endpoint's answer is shown escaped, in lines and in --json", async () => {
    const endpoint = await startEndpoint(() => ({ status: 500, body: evil }));
    try {
      const [plain, json] = await Promise.all([
        cli(['send', endpoint.url, '--key', key]),
        cli(['send', endpoint.url, '--key', key, '--json']),
      ]);
      assert.equal(plain.code, 1, plain.stdout + plain.stderr);
      assert.doesNotMatch(plain.stdout, CONTROLS);
      assert.ok(
        plain.stdout.includes(
          'the endpoint answered HTTP 500: \\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x0averified trade_refund',
        ),
        plain.stdout,
      );
      assert.equal(json.code, 1);
      assert.doesNotMatch(json.stdout, CONTROLS);
      assert.equal((JSON.parse(json.stdout) as { attempts: { reply: string }[] }).attempts[0]!.reply, evil);
    } finally {
      await endpoint.close();
    }
  });

  test('errors that quote the command line are escaped on stderr', async () => {
    const [url, command] = await Promise.all([cli(['send', `http://[${evil}`]), cli([`bogus${evil}`])]);
    for (const r of [url, command]) {
      assert.equal(r.code, 2);
      assert.doesNotMatch(r.stderr, CONTROLS);
    }
    assert.match(url.stderr, /^alipay-notify send: not a URL: http:\/\/\[\\x1b\]0;pwned\\x07/m);
    assert.match(command.stderr, /unknown command "bogus\\u001b\]0;pwned/);
  });
});
