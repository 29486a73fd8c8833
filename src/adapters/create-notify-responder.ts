import { AlipayNotifyError, NotifyAdapterError } from '../errors/index.js';
import type { NotifyHandlerLookup } from './notify-handler-source.js';
import type { AlipayReply } from './reply-to-alipay.js';

/** How an adapter reads its framework's request body: the raw bytes, within `limit` and `timeoutMs`. */
export type ReadRawBody<R> = (
  request: R,
  limits: { readonly limit: number; readonly timeoutMs: number },
) => Promise<Uint8Array>;

/**
 * A failure to read the body, as the error the core reports: our own read errors as they are, and
 * anything else (a framework's stream error) as `ERR_BODY_ABORTED` with the original as `cause`.
 *
 * @example
 * ```ts
 * const body = await readNodeBody(req, limits).catch(asBodyReadError);
 * ```
 */
export function asBodyReadError(err: unknown): AlipayNotifyError {
  return err instanceof AlipayNotifyError
    ? err
    : new NotifyAdapterError('ERR_BODY_ABORTED', 'the body could not be read', { cause: err });
}

/**
 * The one request flow every adapter shares (the shape of octokit's `createNodeMiddleware`): find
 * the core (options may be resolved on the first request), read the raw body the framework's way,
 * verify and run the handler, and return the reply for the adapter to write. An adapter is then
 * only its two framework-specific parts: how to read the body and how to write the reply.
 *
 * @example
 * ```ts
 * const respond = createNotifyResponder(lookup, (req, { limit, timeoutMs }) => readNodeBody(req, { limit, timeoutMs }));
 * const reply = await respond(req); // { status, body, close }
 * ```
 */
export function createNotifyResponder<R>(
  lookup: NotifyHandlerLookup<R>,
  readBody: ReadRawBody<R>,
): (request: R) => Promise<AlipayReply> {
  return async (request) => {
    const core = lookup(request);
    if (!('handle' in core)) return core;
    const body = await readBody(request, { limit: core.maxBodyBytes, timeoutMs: core.bodyTimeoutMs }).catch(
      asBodyReadError,
    );
    return core.handle(body, request);
  };
}
