// Shared by the client tests: a fake gateway per test and a way to check typed errors.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlipayNotifyError } from '../../src/errors/index.js';
import { cli } from '../support/cli-harness.js';

/** Asserts that `promise` rejects with an AlipayNotifyError of `code`, and returns it. */
export async function rejectsWith<E extends AlipayNotifyError = AlipayNotifyError>(
  promise: Promise<unknown>,
  code: string,
): Promise<E> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => {
    caught = err;
    return true;
  });
  if (!(caught instanceof AlipayNotifyError) || caught.code !== code) {
    const seen = caught as
      { code?: unknown; reason?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
    assert.fail(
      `expected ${code}, got ${String(seen?.code)} (reason ${String(seen?.reason)}, cause ${String(seen?.cause?.code)} ${String(seen?.cause?.message)})`,
    );
  }
  return caught as E;
}

/** A plain node:http server on 127.0.0.1. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
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
 * Runs `alipay-notify` (the bundle test/support/cli-harness.ts builds from src/, whose coverage
 * test/run.mjs maps back to src/, as for every other CLI test).
 */
export function cliFromSource(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return cli(args, { env });
}
