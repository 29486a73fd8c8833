import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ImportedPublicKey } from '../../crypto/import-public-key.js';
import { answerGatewayMethod, isGatewayMethod, type GatewayMethodContext } from './answer-gateway-method.js';
import { businessError } from './business-error.js';
import type { GatewayKeys } from './create-gateway-keys.js';
import type { FakeGatewayFault } from './fake-gateway-types.js';
import { readGatewayRequest } from './read-gateway-request.js';
import type { ResponseStyle } from './response-text.js';
import { signedResponseText } from './signed-response-text.js';
import { takeFault, type PendingFault } from './take-fault.js';
import { verifyRequestSignature } from './verify-request-signature.js';

/** Everything the gateway's request handler reads and records. */
export interface GatewayRequestContext {
  readonly appId: string;
  /** Checks request signatures. */
  readonly appPublicKey: ImportedPublicKey;
  /** Signs answers (read per answer: rotation changes the signer). */
  readonly keys: GatewayKeys;
  /** Every call received is appended. */
  readonly calls: { method: string; biz: Record<string, unknown>; signatureValid: boolean }[];
  /** Injected faults, taken call by call. */
  readonly faults: PendingFault[];
  /** What the methods answer from. */
  readonly methods: GatewayMethodContext;
  /** The style of this answer (read per answer: tests change it between calls). */
  responseStyle(): ResponseStyle;
}

const UNAVAILABLE = {
  code: '20000',
  msg: 'Service Currently Unavailable',
  sub_code: 'isp.unknow-error',
  sub_msg: '系统繁忙',
};

const invalidArguments = (subCode: string, subMsg: string): Record<string, string> => ({
  code: '40002',
  msg: 'Invalid Arguments',
  sub_code: subCode,
  sub_msg: subMsg,
});

// `format` is optional (JSON is the only one), and the official Node SDK leaves it out.
const wellFormed = (params: Readonly<Record<string, string>>): boolean =>
  params['sign_type'] === 'RSA2' &&
  params['charset'] === 'utf-8' &&
  (params['format'] ?? 'JSON') === 'JSON' &&
  params['version'] === '1.0' &&
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(params['timestamp'] ?? '');

// Faults that replace the answer itself; true when one did (or left the call hanging).
function transportFault(fault: FakeGatewayFault | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  switch (fault) {
    case 'reset':
      req.socket.destroy();
      return true;
    case 'hang':
      return true;
    case 'http-error':
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
      return true;
    case 'garbage':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>系统繁忙</body></html>');
      return true;
    default:
      return false;
  }
}

/**
 * Answers one HTTP call to the fake gateway as Alipay does: records it, plays any injected fault,
 * refuses a wrong app id or unknown method (unsigned, under `error_response`), a bad signature or
 * malformed common parameters, and in certificate mode wrong certificate SNs (signed); then
 * answers the method, signed with the current key or certificate.
 *
 * @example
 * ```ts
 * const server = createServer((req, res) => void handleGatewayRequest(req, res, context));
 * ```
 */
export async function handleGatewayRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: GatewayRequestContext,
): Promise<void> {
  const { params, method, biz } = await readGatewayRequest(req);
  const signatureValid = verifyRequestSignature(params, context.appPublicKey);
  context.calls.push({ method, biz, signatureValid });
  const fault = takeFault(context.faults, method);
  if (transportFault(fault, req, res)) return;
  const respond = (body: Readonly<Record<string, unknown>>, spoil?: FakeGatewayFault, asError = false): void => {
    const style = context.responseStyle();
    const text = signedResponseText(method, body, { style, signer: context.keys.signer, fault: spoil, asError });
    res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' });
    res.end(text);
  };
  // Errors Alipay cannot tie to an app come unsigned under error_response.
  if (params['app_id'] !== context.appId)
    return respond(invalidArguments('isv.invalid-app-id', '无效的AppID参数'), undefined, true);
  if (!isGatewayMethod(method))
    return respond(invalidArguments('isv.invalid-method', '不存在的方法名'), undefined, true);
  if (!signatureValid || !wellFormed(params))
    return respond(invalidArguments('isv.invalid-signature', '验签出错'), fault);
  const { ca, appCertSn } = context.keys;
  if (ca !== undefined && (params['app_cert_sn'] !== appCertSn || params['alipay_root_cert_sn'] !== ca.rootCertSn))
    return respond(invalidArguments('isv.app-cert-sn-mismatch', '应用公钥证书序列号不匹配'), fault);
  if (fault === 'system-error') return respond(businessError('ACQ.SYSTEM_ERROR', '系统错误'));
  if (fault === 'unavailable') return respond(UNAVAILABLE);
  respond(answerGatewayMethod(method, biz, context.methods), fault);
}
