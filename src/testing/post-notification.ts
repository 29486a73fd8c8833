import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { hintForAnswer } from './answer-hint.js';

/** What the endpoint did with one POST. */
export interface PostOutcome {
  /** True only for HTTP 200 with a body of exactly the 7 bytes `success`. */
  readonly acknowledged: boolean;
  /** HTTP status, when the endpoint answered (its headers arrived). */
  readonly status?: number;
  /** The reply body (at most 1 KiB of it), when the endpoint answered. */
  readonly reply?: string;
  /** Network error code (`ECONNREFUSED`, `ETIMEDOUT`, …), when it did not, or not in time. */
  readonly error?: string;
  /** One sentence: what happened and what Alipay would make of it. */
  readonly verdict: string;
  /** What to look at, when the answer points at a usual cause. */
  readonly hint?: string;
  /** Round-trip time in milliseconds. */
  readonly ms: number;
}

/**
 * The headers Alipay's servers send, malformed `Content-Type` included: an endpoint that only
 * works with a clean `application/x-www-form-urlencoded` breaks in production.
 *
 * @example
 * ```ts
 * alipayHeaders('GBK', 812); // { 'Content-Type': 'application/x-www-form-urlencoded; text/html; charset=GBK', … }
 * ```
 */
export function alipayHeaders(charsetLabel: string, length: number): Record<string, string> {
  return {
    'Content-Type': `application/x-www-form-urlencoded; text/html; charset=${charsetLabel}`,
    'User-Agent': 'Mozilla/4.0',
    'Content-Length': String(length),
    Connection: 'close',
  };
}

const REPLY_LIMIT = 1024;
const SLOW_HINT = 'answer as soon as your handler has finished, and move slow work out of the request';

function judge(status: number, reply: string, location: string | undefined): string {
  if (status === 200 && reply === 'success')
    return 'answered exactly "success": Alipay stops sending this notification';
  const shown = JSON.stringify(reply.length > 60 ? `${reply.slice(0, 60)}…` : reply);
  if (status >= 300 && status < 400)
    return `redirected (HTTP ${status}${location === undefined ? '' : ` to ${location}`}): Alipay does not follow redirects and will retry`;
  if (status !== 200) return `HTTP ${status} ${shown}: not a 200, Alipay will retry`;
  if (reply.trim() === 'success') return `answered ${shown}: extra whitespace around "success", Alipay will retry`;
  if (reply.trim().toLowerCase() === 'success')
    return `answered ${shown}: must be lowercase "success", Alipay will retry`;
  if (reply === '') return 'answered an empty 200: Alipay will retry';
  return `answered ${shown}: not "success", Alipay will retry`;
}

function describeError(code: string, timeoutMs: number): string {
  if (code === 'ETIMEDOUT') return `no answer within ${timeoutMs} ms: Alipay will retry`;
  if (code === 'ECONNREFUSED') return 'connection refused: nothing listens there, Alipay will retry';
  if (code === 'ECONNRESET') return 'connection reset before an answer: Alipay will retry';
  return `${code}: Alipay will retry`;
}

/**
 * POSTs a notification body to `url` exactly as Alipay does and judges the answer. `timeoutMs`
 * bounds the whole exchange (connect, send, the complete answer), not the silence between two
 * packets: an endpoint that drips its answer a byte at a time is cut off like one that never
 * answers. Never throws for network trouble: it is reported in the outcome.
 *
 * @example
 * ```ts
 * const outcome = await postNotification(new URL('http://127.0.0.1:3000/alipay/notify'), body, 'UTF-8', 10_000);
 * if (!outcome.acknowledged) console.log(outcome.verdict);
 * ```
 */
export function postNotification(
  url: URL,
  body: Buffer,
  charsetLabel: string,
  timeoutMs: number,
): Promise<PostOutcome> {
  const started = performance.now();
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    let status: number | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const replySoFar = (): string => Buffer.concat(chunks).subarray(0, REPLY_LIMIT).toString('utf8');
    const done = (outcome: Omit<PostOutcome, 'ms'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ ...outcome, ms: Math.round(performance.now() - started) });
    };
    const failed = (code: string): void => {
      const hint = code === 'ETIMEDOUT' ? { hint: SLOW_HINT } : {};
      if (status === undefined) {
        done({ acknowledged: false, error: code, verdict: describeError(code, timeoutMs), ...hint });
        return;
      }
      // The headers came, the rest of the answer did not: still no acknowledgement.
      const verdict =
        code === 'ETIMEDOUT'
          ? `HTTP ${status}, but the whole answer did not arrive within ${timeoutMs} ms: Alipay will retry`
          : `HTTP ${status}, then ${code} before the answer was complete: Alipay will retry`;
      done({ acknowledged: false, status, reply: replySoFar(), error: code, verdict, ...hint });
    };
    const req = request(
      url,
      { method: 'POST', headers: alipayHeaders(charsetLabel, body.length), agent: false },
      (res: IncomingMessage) => {
        // Always set on a response to a request (https://nodejs.org/api/http.html#messagestatuscode).
        const answered = Number(res.statusCode);
        status = answered;
        res.on('data', (chunk: Buffer) => {
          if (size < REPLY_LIMIT) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          const reply = replySoFar();
          const hint = hintForAnswer(answered, reply, url);
          done({
            acknowledged: answered === 200 && reply === 'success',
            status: answered,
            reply,
            verdict: judge(answered, reply, res.headers.location),
            ...(hint === undefined ? {} : { hint }),
          });
        });
        res.on('error', (err: NodeJS.ErrnoException) => failed(err.code ?? 'ERR_RESPONSE'));
      },
    );
    // One deadline for the whole exchange. `req.setTimeout` would only bound the idle time
    // between two packets (https://nodejs.org/api/http.html#requestsettimeouttimeout-callback).
    const deadline = setTimeout(() => {
      failed('ETIMEDOUT');
      req.destroy();
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => failed(err.code ?? 'ERR_REQUEST'));
    req.end(body);
  });
}
