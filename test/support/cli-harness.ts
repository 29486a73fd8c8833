// Shared by the CLI tests (test/cli/) and the tests that drive the CLI (examples, client, inbox): run
// `alipay-notify` as a real child process, a directory where `keygen` ran, and a real node:http
// endpoint on 127.0.0.1 that records what it received.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// The CLI is bundled from src/ once per test file (esbuild, which tsx brings): a child started
// through tsx spends half a second compiling, which over dozens of runs is too slow for CI.
const binDir = mkdtempSync(join(tmpdir(), 'alipay-notify-bin-'));
process.on('exit', () => rmSync(binDir, { recursive: true, force: true }));
export const cliEntry = join(binDir, 'alipay-notify.cjs');
await build({
  entryPoints: [fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))],
  outfile: cliEntry,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Lets `npm test`'s coverage (NODE_V8_COVERAGE, test/run.mjs) map the bundle back to src/; with
  // nothing shaken out, because code missing from the bundle would look run to the source map.
  sourcemap: 'inline',
  treeShaking: false,
  logLevel: 'silent',
});

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  input?: Buffer | string;
  env?: Record<string, string | undefined>;
  /** Write `input` but never close stdin, as a writer that keeps streaming would. */
  keepStdinOpen?: boolean;
  /** Kill the CLI (SIGKILL; `code` is then null) if it is still running after this long: a guard
   * for tests of hangs, so that a regression fails the test instead of stalling the suite. */
  killAfterMs?: number;
}

/** Runs the bundled CLI with `args`; never uses a shell. */
export function cli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const child = spawn(process.execPath, [cliEntry, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const guard =
      opts.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    // The CLI may stop reading early (that is what some tests check): EPIPE is not an error here.
    child.stdin.on('error', () => undefined);
    if (opts.keepStdinOpen === true) child.stdin.write(opts.input ?? '');
    else child.stdin.end(opts.input ?? '');
  });
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Endpoint {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A real HTTP endpoint; `reply` decides each answer from what was received (n counts from 1). */
export async function startEndpoint(
  reply: (r: Received, n: number) => { status?: number; body: string },
): Promise<Endpoint> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      const answer = reply(r, received.length);
      res.writeHead(answer.status ?? 200, { 'Content-Type': 'text/plain' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alipay/notify`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The files `keygen` writes (without --cert) into its directory. */
export interface KeygenDir {
  /** A fresh temporary directory, removed after the test file. */
  readonly dir: string;
  /** `alipay-test-private-key.pem` in it. */
  readonly key: string;
  /** `alipay-test-public-key.pem` in it. */
  readonly pub: string;
}

/**
 * A temporary directory where `alipay-notify keygen [args]` runs before the test file's tests (in
 * that directory, so that `sign` run there finds the key by itself), removed after them.
 */
export function keygenDir(name: string, keygenArgs: readonly string[] = []): KeygenDir {
  const dir = mkdtempSync(join(tmpdir(), `alipay-notify-${name}-`));
  before(async () => {
    const r = await cli(['keygen', ...keygenArgs], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, key: join(dir, 'alipay-test-private-key.pem'), pub: join(dir, 'alipay-test-public-key.pem') };
}
