#!/usr/bin/env node
/**
 * `alipay-notify`: make Alipay refund notifications on demand — keys, signed bodies, sends with
 * Alipay's headers and retry schedule, and verification of captured bodies (issue 6).
 *
 * @example
 * ```sh
 * alipay-notify keygen && alipay-notify send http://127.0.0.1:3000/notify --retry
 * ```
 * @packageDocumentation
 */
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
