import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { NotifyBodyError } from '../errors/index.js';
import { NotifyAdapterError } from '../errors/index.js';

/** Where and how `readNodeBody` reads. */
export interface ReadNodeBodyOptions {
  /** Largest body accepted, in bytes. */
  readonly limit: number;
  /** Places a user may have captured the raw body already (`req.rawBody`, `req.body`). */
  readonly captured?: readonly unknown[];
  /** How to mount the adapter instead, for when a body parser consumed the stream first. */
  readonly hint?: string;
  /** How long the whole body may take, in ms (`ERR_BODY_TIMEOUT` after that). Default: no limit. */
  readonly timeoutMs?: number;
}

/**
 * The body did not arrive in time: the same error from every adapter.
 *
 * @example
 * ```ts
 * reject(bodyTimedOut(10_000)); // ERR_BODY_TIMEOUT, answered 408
 * ```
 */
export function bodyTimedOut(timeoutMs: number): NotifyAdapterError {
  return new NotifyAdapterError('ERR_BODY_TIMEOUT', `the request body did not arrive within ${timeoutMs} ms`);
}

/** Too large for `limit`: the same error the verifier raises for a body over `maxBodyBytes`. */
export function bodyTooLarge(limit: number): NotifyBodyError {
  return new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification body exceeds the size limit', { limit });
}

/** The stream was consumed before the adapter saw it. */
export function bodyAlreadyParsed(hint: string | undefined): NotifyAdapterError {
  return new NotifyAdapterError(
    'ERR_BODY_ALREADY_PARSED',
    `the request body was read before the Alipay adapter saw it${hint ? `: ${hint}` : ''}`,
  );
}

function declaredLength(stream: Readable): number | undefined {
  const header = (stream as Partial<IncomingMessage>).headers?.['content-length'];
  return header === undefined || !/^\d+$/.test(header) ? undefined : Number(header);
}

/**
 * Reads a Node request's raw body, whatever its `Content-Type` (Alipay sends
 * `application/x-www-form-urlencoded; text/html; charset=…`, which body parsers misread), stopping at `limit`. A raw `Buffer` the user already captured is reused; a stream that a
 * body parser consumed is `ERR_BODY_ALREADY_PARSED`, with `hint` saying how to mount instead. A
 * body still incomplete after `timeoutMs` is `ERR_BODY_TIMEOUT`, and the stream is paused: the
 * caller answers with `Connection: close`, which ends the socket.
 *
 * @example
 * ```ts
 * const raw = await readNodeBody(req, { limit: 65536, captured: [req.rawBody, req.body], timeoutMs: 10_000 });
 * ```
 */
export function readNodeBody(
  stream: Readable,
  { limit, captured = [], hint, timeoutMs }: ReadNodeBodyOptions,
): Promise<Buffer> {
  for (const c of captured) {
    if (c instanceof Uint8Array)
      return Promise.resolve(Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  }
  if (stream.readableEnded || stream.readableDidRead || (stream as { _body?: unknown })._body === true) {
    return Promise.reject(bodyAlreadyParsed(hint));
  }
  const length = declaredLength(stream);
  if (length !== undefined && length > limit) return Promise.reject(bodyTooLarge(limit));

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Without a deadline a client dripping a byte at a time holds the socket for as long as it
    // likes (Fastify's requestTimeout is 0 by default: https://fastify.dev/docs/latest/Reference/Server/#requesttimeout).
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stop();
            stream.pause();
            reject(bodyTimedOut(timeoutMs));
          }, timeoutMs);
    const stop = (): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onAbort);
      stream.off('close', onAbort);
    };
    const onData = (chunk: Buffer | string): void => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += b.length;
      if (size > limit) {
        stop();
        // Keep the stream flowing with nobody listening: the rest is discarded, not buffered.
        stream.resume();
        reject(bodyTooLarge(limit));
        return;
      }
      chunks.push(b);
    };
    const onEnd = (): void => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onAbort = (): void => {
      stop();
      reject(new NotifyAdapterError('ERR_BODY_ABORTED', 'the request body ended before it was complete'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onAbort);
    stream.on('close', onAbort);
  });
}
