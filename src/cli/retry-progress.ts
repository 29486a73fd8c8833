import type { PostOutcome } from '../testing/post-notification.js';
import { formatDuration } from '../testing/retry-schedule.js';
import { escapeForTerminal } from './terminal-text.js';

/** Where `send` tells the user what is happening. */
export interface RetryProgress {
  /** One attempt finished. `alipayAt` is when Alipay itself would have sent it (`+4m`). */
  attempt(n: number, total: number, alipayAt: string, outcome: PostOutcome): void;
  /** Waiting `ms` before attempt `next`, which Alipay sends `alipayInterval` after the previous one. */
  wait(next: number, total: number, ms: number, alipayInterval: string): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function line(n: number, total: number, alipayAt: string, o: PostOutcome): string {
  const mark = o.acknowledged ? '✔' : '✖';
  const what = o.status === undefined ? `${o.error}` : `HTTP ${o.status}`;
  // The verdict quotes the endpoint's reply and Location header: escaped before it is printed.
  return escapeForTerminal(`${mark} #${n}/${total} (Alipay ${alipayAt.padEnd(7)}) ${what} in ${o.ms} ms: ${o.verdict}`);
}

/**
 * Plain lines, for logs, pipes and CI: one per attempt and one per wait.
 *
 * @example
 * ```ts
 * const progress = plainProgress(process.stdout);
 * ```
 */
export function plainProgress(out: NodeJS.WritableStream): RetryProgress {
  return {
    attempt: (n, total, alipayAt, o) => void out.write(`${line(n, total, alipayAt, o)}\n`),
    async wait(next, total, ms, alipayInterval) {
      out.write(`  next: #${next}/${total} in ${formatDuration(ms)} (Alipay waits ${alipayInterval})\n`);
      await sleep(ms);
    },
  };
}

/**
 * A live display for a terminal: the wait for the next retry is a bar that fills and a countdown,
 * redrawn in place; finished attempts stay above it as lines.
 *
 * @example
 * ```ts
 * const progress = process.stdout.isTTY ? liveProgress(process.stdout) : plainProgress(process.stdout);
 * ```
 */
export function liveProgress(out: NodeJS.WriteStream): RetryProgress {
  const width = 24;
  return {
    attempt: (n, total, alipayAt, o) => void out.write(`\r\x1b[2K${line(n, total, alipayAt, o)}\n`),
    async wait(next, total, ms, alipayInterval) {
      const start = performance.now();
      for (;;) {
        const elapsed = performance.now() - start;
        const left = Math.max(0, ms - elapsed);
        const filled = Math.min(width, Math.round((elapsed / ms) * width));
        out.write(
          `\r\x1b[2K  #${next}/${total} in ${formatDuration(left).padStart(5)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] (Alipay waits ${alipayInterval})`,
        );
        if (left <= 0) break;
        await sleep(Math.min(100, left));
      }
      out.write('\r\x1b[2K');
    },
  };
}

/**
 * No output at all (for `--json`, where only the final JSON is printed); still waits.
 *
 * @example
 * ```ts
 * const progress = silentProgress();
 * ```
 */
export function silentProgress(): RetryProgress {
  return { attempt: () => undefined, wait: (_n, _t, ms) => sleep(ms) };
}
