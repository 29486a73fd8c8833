import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { postNotification, type PostOutcome } from '../../testing/post-notification.js';
import { joinOptionValues } from '../join-option-values.js';
import { readInput } from '../read-input.js';
import { liveProgress, plainProgress, silentProgress, type RetryProgress } from '../retry-progress.js';
import { ALIPAY_RETRY_INTERVALS_MS, formatDuration } from '../../testing/retry-schedule.js';
import { SIGNING_OPTIONS, SIGNING_USAGE, signFromOptions } from '../sign-from-options.js';
import { jsonForTerminal, printLines } from '../terminal-text.js';
import { writeOutput } from '../write-new-file.js';

const DEFAULT_SPEED = 1440;

const usage = `Usage: alipay-notify send <url> [options]

POSTs a signed refund notification to your endpoint exactly as Alipay does (same headers,
including the malformed Content-Type "application/x-www-form-urlencoded; text/html; charset=…"
and User-Agent "Mozilla/4.0") and checks that it answered HTTP 200 with exactly "success".

${SIGNING_USAGE}
Sending:
  --body <file|->      send this body as it is instead (a captured, saved or tampered one)
  --save-body <file>   also write the body that was sent (to replay it later with --body)
  --retry              keep going like Alipay while the answer is not "success": up to 8 sends,
                       after 4m, 10m, 10m, 1h, 2h, 6h, 15h (the same body and notify_id each time)
  --speed <n>          with --retry: run the schedule n times faster (default ${DEFAULT_SPEED}: a day in a
                       minute; 1 = real time)
  --timeout <ms>       deadline for each send as a whole: connect, send and the complete
                       answer (default 10000)
  --json               print the attempts as JSON (no progress display)
  -h, --help           this help

Examples:
  alipay-notify send http://127.0.0.1:3000/alipay/notify
  alipay-notify send http://127.0.0.1:3000/alipay/notify --kind full-refund --charset GBK --save-body captured.body
  alipay-notify send http://127.0.0.1:3000/alipay/notify --body captured.body
  alipay-notify send http://127.0.0.1:3000/alipay/notify --retry --speed 3600

When the answer is not "success", what the endpoint answered (status, the start of the body) is
printed with a hint at the usual cause.

Exit codes: 0 the endpoint answered "success", 1 it answered something else, 2 bad arguments,
3 it could not be reached at all.`;

const OPTIONS = {
  ...SIGNING_OPTIONS,
  body: { type: 'string' },
  'save-body': { type: 'string' },
  retry: { type: 'boolean' },
  speed: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** How much of the endpoint's answer is shown after a failed send. */
const SHOWN_REPLY_CHARS = 200;

function charsetOfBody(body: Buffer): string {
  // The body's own signed charset field names the charset, as in the notifications Alipay sends.
  const m = /(?:^|&)charset=([^&]*)/.exec(body.toString('latin1'));
  if (m === null) return 'UTF-8';
  try {
    return decodeURIComponent(m[1]!.replace(/\+/g, ' ')) || 'UTF-8';
  } catch {
    return 'UTF-8';
  }
}

function positiveNumber(text: string | undefined, option: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${option} must be a positive number`);
  return n;
}

/** Alipay's own send times: +0, +4m, +14m, … */
function alipayOffsets(): string[] {
  let t = 0;
  const out = ['+0'];
  for (const ms of ALIPAY_RETRY_INTERVALS_MS) {
    t += ms;
    const h = Math.floor(t / 3_600_000);
    const m = Math.round((t % 3_600_000) / 60_000);
    out.push(`+${h > 0 ? `${h}h` : ''}${m > 0 || h === 0 ? `${m}m` : ''}`);
  }
  return out;
}

/** What the endpoint answered to the last send, and what to look at. */
function describeAnswer(o: PostOutcome): string[] {
  const lines: string[] = [];
  if (o.status !== undefined) {
    const reply = o.reply ?? '';
    const shown = reply.length > SHOWN_REPLY_CHARS ? `${reply.slice(0, SHOWN_REPLY_CHARS)}…` : reply;
    lines.push(`the endpoint answered HTTP ${o.status}${reply === '' ? ' with an empty body' : `: ${shown}`}`);
  }
  if (o.hint !== undefined) lines.push(`hint: ${o.hint}`);
  return lines;
}

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinOptionValues(argv, OPTIONS),
    options: OPTIONS,
    allowPositionals: true,
  });
  if (values.help === true) {
    console.log(usage);
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one URL: alipay-notify send <url>');
  let url: URL;
  try {
    url = new URL(positionals[0]!);
  } catch {
    throw new UsageError(`not a URL: ${positionals[0]}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('the URL must be http:// or https://');
  const speed = positiveNumber(values.speed, '--speed', DEFAULT_SPEED);
  const timeout = positiveNumber(values.timeout, '--timeout', 10_000);

  let body: Buffer;
  let charsetLabel: string;
  if (values.body !== undefined) {
    body = await readInput(values.body);
    charsetLabel = charsetOfBody(body);
  } else {
    const fieldsText = values.fields === undefined ? undefined : (await readInput(values.fields)).toString('utf8');
    ({ body, charsetLabel } = signFromOptions(values, fieldsText));
  }
  if (values['save-body'] !== undefined) writeOutput(values['save-body'], body);

  const json = values.json === true;
  const progress: RetryProgress = json
    ? silentProgress()
    : process.stdout.isTTY
      ? liveProgress(process.stdout)
      : plainProgress(process.stdout);
  const total = values.retry === true ? ALIPAY_RETRY_INTERVALS_MS.length + 1 : 1;
  const offsets = alipayOffsets();
  const attempts: (PostOutcome & { attempt: number; alipayAt: string })[] = [];
  if (!json)
    console.log(
      `POST ${url.href} (${body.length} bytes, charset ${charsetLabel})${total > 1 ? `, Alipay's schedule ${speed}× faster` : ''}`,
    );
  for (let n = 1; n <= total; n++) {
    if (n > 1) {
      const interval = ALIPAY_RETRY_INTERVALS_MS[n - 2]!;
      await progress.wait(n, total, interval / speed, formatDuration(interval));
    }
    const outcome = await postNotification(url, body, charsetLabel, timeout);
    attempts.push({ attempt: n, alipayAt: offsets[n - 1]!, ...outcome });
    progress.attempt(n, total, offsets[n - 1]!, outcome);
    if (outcome.acknowledged) break;
  }
  const last = attempts[attempts.length - 1]!;
  const code = last.acknowledged
    ? EXIT.OK
    : attempts.every((a) => a.status === undefined)
      ? EXIT.UNREACHABLE
      : EXIT.FAILED;
  if (json) {
    console.log(jsonForTerminal({ url: url.href, acknowledged: last.acknowledged, charset: charsetLabel, attempts }));
    return code;
  }
  if (total > 1) {
    console.log(
      last.acknowledged
        ? `acknowledged on send ${attempts.length} of ${total}`
        : `never acknowledged: Alipay would have given up after ${total} sends (about 25 hours)`,
    );
  }
  if (!last.acknowledged) printLines(describeAnswer(last));
  return code;
}

/** `alipay-notify send`: posts a signed notification like Alipay and checks the answer. */
export const send: Command = {
  name: 'send',
  summary: 'POST a signed refund notification like Alipay, check the answer is "success"',
  usage,
  run,
};
