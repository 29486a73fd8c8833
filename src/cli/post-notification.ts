import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What the endpoint did with one POST. */
export interface PostOutcome {
  /** True only for HTTP 200 with a body of exactly the 7 bytes `success` (PROTOCOL §3). */
  readonly acknowledged: boolean;
  /** HTTP status, when the endpoint answered. */
  readonly status?: number;
  /** The reply body (at most 1 KiB of it), when the endpoint answered. */
  readonly reply?: string;
  /** Network error code (`ECONNREFUSED`, `ETIMEDOUT`, …), when it did not. */
  readonly error?: string;
  /** One sentence: what happened and what Alipay would make of it. */
  readonly verdict: string;
  /** Round-trip time in milliseconds. */
  readonly ms: number;
}

/**
 * The headers Alipay's servers send, malformed `Content-Type` included (PROTOCOL §1.1): an
 * endpoint that only works with a clean `application/x-www-form-urlencoded` breaks in production.
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

function judge(status: number, reply: string, location: string | undefined): string {
  if (status === 200 && reply === 'success') return 'answered exactly "success": Alipay stops sending this notification';
  const shown = JSON.stringify(reply.length > 60 ? `${reply.slice(0, 60)}…` : reply);
  if (status >= 300 && status < 400) return `redirected (HTTP ${status}${location === undefined ? '' : ` to ${location}`}): Alipay does not follow redirects and will retry`;
  if (status !== 200) return `HTTP ${status} ${shown}: not a 200, Alipay will retry`;
  if (reply.trim() === 'success') return `answered ${shown}: extra whitespace around "success", Alipay will retry`;
  if (reply.trim().toLowerCase() === 'success') return `answered ${shown}: must be lowercase "success", Alipay will retry`;
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
 * POSTs a notification body to `url` exactly as Alipay does and judges the answer. Never throws
 * for network trouble: it is reported in the outcome.
 *
 * @example
 * ```ts
 * const outcome = await postNotification('http://127.0.0.1:3000/notify', body, 'UTF-8', 10_000);
 * if (!outcome.acknowledged) console.log(outcome.verdict);
 * ```
 */
export function postNotification(url: URL, body: Buffer, charsetLabel: string, timeoutMs: number): Promise<PostOutcome> {
  const started = performance.now();
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Omit<PostOutcome, 'ms'>): void => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, ms: Math.round(performance.now() - started) });
    };
    const req = request(url, { method: 'POST', headers: alipayHeaders(charsetLabel, body.length), agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < REPLY_LIMIT) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const reply = Buffer.concat(chunks).subarray(0, REPLY_LIMIT).toString('utf8');
        const location = res.headers.location;
        done({ acknowledged: status === 200 && reply === 'success', status, reply, verdict: judge(status, reply, location) });
      });
      res.on('error', (err: NodeJS.ErrnoException) => done({ acknowledged: false, error: err.code ?? 'ERR_RESPONSE', verdict: describeError(err.code ?? 'ERR_RESPONSE', timeoutMs) }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ERR_REQUEST';
      done({ acknowledged: false, error: code, verdict: describeError(code, timeoutMs) });
    });
    req.end(body);
  });
}
