import { AlipayGatewayError } from '../errors/index.js';

// A gateway answer is a few KiB; a body past this is not Alipay's and is not read to the end.
const MAX_RESPONSE_BYTES = 1 << 20;

/**
 * POSTs signed parameters form-encoded (UTF-8) to the gateway with global `fetch` and returns the
 * body's exact bytes. Redirects are not followed (the answer must come from the gateway asked).
 * Transport failures are `ERR_GATEWAY_UNREACHABLE`, no complete answer within `timeoutMs` is
 * `ERR_GATEWAY_TIMEOUT`, an HTTP status other than 200 or an oversized body is `ERR_GATEWAY_ERROR`.
 *
 * @example
 * ```ts
 * const bytes = await postGateway('https://openapi.alipay.com/gateway.do', signedParams, 15_000, 'alipay.trade.query');
 * ```
 */
export async function postGateway(
  gateway: string,
  params: Readonly<Record<string, string>>,
  timeoutMs: number,
  method: string,
): Promise<Buffer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
      redirect: 'manual',
      signal: controller.signal,
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new AlipayGatewayError('ERR_GATEWAY_ERROR', `gateway answered HTTP ${res.status}`, {
        method,
        httpStatus: res.status,
      });
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += (chunk as Uint8Array).byteLength;
      if (size > MAX_RESPONSE_BYTES) {
        controller.abort();
        throw new AlipayGatewayError('ERR_GATEWAY_ERROR', 'gateway answer is too large', { method, httpStatus: 200 });
      }
      chunks.push(chunk as Uint8Array);
    }
    return Buffer.concat(chunks);
  } catch (err) {
    if (err instanceof AlipayGatewayError) throw err;
    if (controller.signal.aborted)
      throw new AlipayGatewayError(
        'ERR_GATEWAY_TIMEOUT',
        `gateway did not answer within ${timeoutMs} ms`,
        { method },
        { cause: err },
      );
    throw new AlipayGatewayError('ERR_GATEWAY_UNREACHABLE', 'gateway could not be reached', { method }, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
