import type { IncomingMessage } from 'node:http';

/** A gateway call as received: every parameter, and the parsed `biz_content`. */
export interface GatewayRequest {
  /** Query-string and form parameters (the form wins). */
  readonly params: Record<string, string>;
  /** `method`, or `''` when missing. */
  readonly method: string;
  /** `biz_content` parsed; `{}` when missing or unreadable. */
  readonly biz: Record<string, unknown>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBiz(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // An unreadable biz_content is answered as a missing parameter by the method.
  }
  return {};
}

/**
 * Reads a call to the gateway: parameters from the query string and the form body, as SDKs
 * split them, and `biz_content` parsed.
 *
 * @example
 * ```ts
 * const { params, method, biz } = await readGatewayRequest(req);
 * ```
 */
export async function readGatewayRequest(req: IncomingMessage): Promise<GatewayRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  for (const [k, v] of new URLSearchParams(await readBody(req))) params[k] = v;
  return { params, method: params['method'] ?? '', biz: parseBiz(params['biz_content'] ?? '{}') };
}
