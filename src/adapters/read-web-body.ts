import { NotifyAdapterError } from '../errors/index.js';
import { bodyAlreadyParsed, bodyTimedOut, bodyTooLarge } from './read-node-body.js';

const FETCH_HINT =
  'pass the Request to the handler before anything reads its body, or pass request.clone() to whatever reads it first';

/** Set once the deadline passed: the reader stops asking for more. */
interface ReadState {
  timedOut: boolean;
}

function aborted(cause: unknown): NotifyAdapterError {
  return new NotifyAdapterError('ERR_BODY_ABORTED', 'the request body ended before it was complete', { cause });
}

async function readBody(request: Request, limit: number, state: ReadState): Promise<Buffer> {
  const header = request.headers.get('content-length');
  if (header !== null && /^\d+$/.test(header)) {
    // A declared length within the limit (Alipay always declares one): read it in one go, without
    // touching `request.body`, which lets runtimes such as @hono/node-server skip building a web
    // stream (test/bench: the Fetch adapter's throughput).
    try {
      return Buffer.from(await request.arrayBuffer());
    } catch (cause) {
      throw aborted(cause);
    }
  }
  // No declared length (chunked): stream it, and stop at the limit.
  if (request.body === null) return Buffer.alloc(0);
  // Node's types say ReadableStream<any>; a Request body streams bytes (Fetch Standard, "body").
  const reader = request.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: Awaited<ReturnType<typeof reader.read>>;
    try {
      step = await reader.read();
    } catch (cause) {
      throw aborted(cause);
    }
    // Past the deadline the answer is already given: ask for nothing more, and let the runtime
    // close the connection (the reply says `Connection: close`).
    if (state.timedOut) {
      reader.releaseLock();
      return Buffer.alloc(0);
    }
    if (step.done) return Buffer.concat(chunks, size);
    size += step.value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => undefined);
      throw bodyTooLarge(limit);
    }
    chunks.push(step.value);
  }
}

/**
 * Reads a Fetch API `Request`'s raw body, whatever its `Content-Type`, stopping at `limit`
 * rather than buffering an unbounded `arrayBuffer()`. A body already read is
 * `ERR_BODY_ALREADY_PARSED`; one not complete within `timeoutMs` is `ERR_BODY_TIMEOUT`.
 *
 * @example
 * ```ts
 * const raw = await readWebBody(request, 65536, 10_000);
 * ```
 */
export async function readWebBody(request: Request, limit: number, timeoutMs?: number): Promise<Buffer> {
  if (request.bodyUsed) throw bodyAlreadyParsed(FETCH_HINT);
  const header = request.headers.get('content-length');
  if (header !== null && /^\d+$/.test(header) && Number(header) > limit) throw bodyTooLarge(limit);
  const state: ReadState = { timedOut: false };
  const reading = readBody(request, limit, state);
  if (timeoutMs === undefined) return reading;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      state.timedOut = true;
      reject(bodyTimedOut(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([reading, deadline]);
  } finally {
    clearTimeout(timer);
    // The read that lost the race ends when the connection does; its outcome is not wanted.
    reading.catch(() => undefined);
  }
}
