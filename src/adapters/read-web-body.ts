import { NotifyAdapterError } from './notify-adapter-error.js';
import { bodyAlreadyParsed, bodyTooLarge } from './read-node-body.js';

const FETCH_HINT = 'pass the Request to the handler before anything reads its body, or pass request.clone() to whatever reads it first';

/**
 * Reads a Fetch API `Request`'s raw body, whatever its `Content-Type`, stopping at `limit`
 * rather than buffering an unbounded `arrayBuffer()`. A body already read is `ERR_BODY_ALREADY_PARSED`.
 *
 * @example
 * ```ts
 * const raw = await readWebBody(request, 65536);
 * ```
 */
export async function readWebBody(request: Request, limit: number): Promise<Buffer> {
  if (request.bodyUsed) throw bodyAlreadyParsed(FETCH_HINT);
  const header = request.headers.get('content-length');
  if (header !== null && /^\d+$/.test(header) && Number(header) > limit) throw bodyTooLarge(limit);
  if (header !== null && /^\d+$/.test(header)) {
    // A declared length within the limit (Alipay always declares one): read it in one go, without
    // touching `request.body`, which lets runtimes such as @hono/node-server skip building a web
    // stream (test/bench: the Fetch adapter's throughput).
    try {
      return Buffer.from(await request.arrayBuffer());
    } catch (cause) {
      throw new NotifyAdapterError('ERR_BODY_ABORTED', 'the request body ended before it was complete', { cause });
    }
  }
  // No declared length (chunked): stream it, and stop at the limit.
  if (request.body === null) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: Awaited<ReturnType<typeof reader.read>>;
    try {
      step = await reader.read();
    } catch (cause) {
      throw new NotifyAdapterError('ERR_BODY_ABORTED', 'the request body ended before it was complete', { cause });
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
