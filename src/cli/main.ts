#!/usr/bin/env node
/**
 * `alipay-notify`: make Alipay refund notifications on demand — keys, signed bodies, sends with
 * Alipay's headers and retry schedule, and verification of captured bodies.
 *
 * @example
 * ```sh
 * alipay-notify keygen && alipay-notify send http://127.0.0.1:3000/alipay/notify --retry
 * ```
 * @packageDocumentation
 */
import { runCli } from './run-cli.js';
import { printLines } from './terminal-text.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // An unexpected error may quote input: escaped line by line like everything else printed.
    printLines(String(err instanceof Error ? (err.stack ?? err.message) : err).split('\n'), process.stderr);
    process.exitCode = 1;
  },
);
