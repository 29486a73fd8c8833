// Shared by the client tests: a fake gateway per test and a way to check typed errors.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlipayNotifyError } from '../../src/errors.js';

/** Asserts that `promise` rejects with an AlipayNotifyError of `code`, and returns it. */
export async function rejectsWith<E extends AlipayNotifyError = AlipayNotifyError>(promise: Promise<unknown>, code: string): Promise<E> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => {
    caught = err;
    return true;
  });
  if (!(caught instanceof AlipayNotifyError) || caught.code !== code) {
    const seen = caught as { code?: unknown; reason?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
    assert.fail(`expected ${code}, got ${String(seen?.code)} (reason ${String(seen?.reason)}, cause ${String(seen?.cause?.code)} ${String(seen?.cause?.message)})`);
  }
  return caught as E;
}

/** A plain node:http server on 127.0.0.1. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs `alipay-notify` from src through tsx as a child process, so that V8 coverage maps back to
 * src/ (test/run.mjs) whatever happens to bundles.
 */
export function cliFromSource(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const merged: Record<string, string | undefined> = { ...process.env, ...env };
    for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url)), ...args], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: merged,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}
