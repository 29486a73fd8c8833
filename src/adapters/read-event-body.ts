import { NotifyBodyError, type AlipayNotifyError } from '../errors/index.js';
import { bodyAlreadyParsed, bodyTooLarge } from './read-node-body.js';

/**
 * The part of a serverless HTTP event the adapter reads. One shape covers AWS Lambda function URLs
 * and API Gateway HTTP APIs (payload 2.0,
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads), API Gateway
 * REST proxy integrations (payload 1.0,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html)
 * and Alibaba Cloud Function Compute 3.0 HTTP triggers
 * (https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/user-guide/http-trigger-invoking-function):
 * the raw body as a string, base64-encoded when `isBase64Encoded` is true. The event reaches
 * your handlers unchanged, with every field the platform sent.
 */
export interface ServerlessHttpEvent {
  /** The request body: text, or base64 when `isBase64Encoded`. Absent or null when empty. */
  body?: string | null;
  /** Whether `body` is base64 (binary content types, or always, depending on the platform). */
  isBase64Encoded: boolean;
  /** Request headers (lower-cased on payload 2.0 and Function Compute). */
  headers?: Record<string, string | undefined> | null;
  /** `2.0` (Lambda payload 2.0), `v1` (Function Compute); absent on payload 1.0. */
  version?: string;
  /** The request path (payload 2.0, Function Compute). */
  rawPath?: string;
  /** The request path (payload 1.0). */
  path?: string;
  /** The HTTP method (payload 1.0; payload 2.0 and Function Compute have `requestContext.http.method`). */
  httpMethod?: string;
  /** The platform's request context (more fields than these: account, domain, time, …). */
  requestContext?: { requestId?: string; http?: { method?: string; path?: string; sourceIp?: string } };
  /**
   * Set by the adapter, never by a platform: what was passed when it was not an HTTP event (the
   * request `onError` then sees is `{ isBase64Encoded: false, input }`).
   */
  input?: unknown;
}

const EVENT_HINT =
  'the event carries no raw HTTP body: invoke the function through a Lambda function URL, an API Gateway proxy integration ' +
  'or a Function Compute HTTP trigger, and pass their event to the handler unchanged';

// RFC 4648 §4 base64, padded, as these platforms encode bodies.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function asEvent(event: unknown): ServerlessHttpEvent | undefined {
  let value = event;
  // Function Compute passes the event to Node.js handlers as a Buffer of JSON; some callers pass a string.
  if (typeof value === 'string' || value instanceof Uint8Array) {
    try {
      value = JSON.parse(
        typeof value === 'string'
          ? value
          : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'),
      );
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== 'object') return undefined;
  const { body, isBase64Encoded } = value as Partial<ServerlessHttpEvent>;
  if (typeof isBase64Encoded !== 'boolean') return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  return value as ServerlessHttpEvent;
}

/**
 * Reads the raw body of a serverless HTTP event: base64-decoded when `isBase64Encoded`, else the
 * string's UTF-8 bytes (Alipay's form bodies are ASCII: every non-ASCII byte arrives %-encoded,
 * so a text body loses nothing, GBK included). An event that is not an HTTP event with a string
 * body is `ERR_BODY_ALREADY_PARSED`; a body over `limit` is `ERR_BODY_TOO_LARGE`.
 *
 * @example
 * ```ts
 * const { event, body } = readEventBody(lambdaEvent, 65536); // body: a Buffer, or the error to report
 * ```
 */
export function readEventBody(
  input: unknown,
  limit: number,
): { event: ServerlessHttpEvent; body: Buffer | AlipayNotifyError } {
  const event = asEvent(input);
  // Not an HTTP event: handed to onError as { isBase64Encoded: false, input }, so the log shows what arrived.
  if (event === undefined) return { event: { isBase64Encoded: false, input }, body: bodyAlreadyParsed(EVENT_HINT) };
  const text = event.body ?? '';
  if (!event.isBase64Encoded) {
    const bytes = Buffer.from(text, 'utf8');
    return { event, body: bytes.length > limit ? bodyTooLarge(limit) : bytes };
  }
  // Checked before decoding: a base64 string of n characters holds at least 3n/4 - 2 bytes.
  if ((text.length * 3) / 4 - 2 > limit) return { event, body: bodyTooLarge(limit) };
  if (!BASE64.test(text))
    return {
      event,
      body: new NotifyBodyError('ERR_BODY_MALFORMED', 'the event body is marked base64 but is not valid base64'),
    };
  const bytes = Buffer.from(text, 'base64');
  return { event, body: bytes.length > limit ? bodyTooLarge(limit) : bytes };
}
