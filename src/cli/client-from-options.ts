import { createAlipayClient, type AlipayClient } from '../client/create-alipay-client.js';
import type { AlipayClientOptions } from '../client/client-options.js';
import { AlipayNotifyError, AlipayGatewayError } from '../errors/index.js';
import { EXIT, UsageError } from './exit-codes.js';
import { readKeyArgument } from './read-input.js';
import { jsonForTerminal } from './terminal-text.js';

/** The parseArgs options shared by `query-refund` and `query-trade`. */
export const CLIENT_ARG_OPTIONS = {
  'app-id': { type: 'string' },
  'private-key': { type: 'string' },
  'public-key': { type: 'string' },
  cert: { type: 'string' },
  'app-cert': { type: 'string' },
  'root-cert': { type: 'string' },
  gateway: { type: 'string' },
  sandbox: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The help text of those options. */
export const CLIENT_ARG_USAGE = `Keys (a file, or the key itself; defaults from the environment):
  --app-id <id>            your app id (default: $APP_ID)
  --private-key <file|key> your app private key, PKCS#8 or PKCS#1 (default: $APP_PRIVATE_KEY)
  --public-key <file|key>  public-key mode: the Alipay public key (default: $ALIPAY_PUBLIC_KEY)
  --cert <file>            certificate mode: alipayCertPublicKey_RSA2.crt (default: $ALIPAY_PUBLIC_CERT)
  --app-cert <file>        certificate mode: appCertPublicKey_<appId>.crt (default: $APP_CERT)
  --root-cert <file>       certificate mode: alipayRootCert.crt (default: $ALIPAY_ROOT_CERT)
Gateway:
  --gateway <url>          default Alipay's production gateway (or $ALIPAY_GATEWAY)
  --sandbox                Alipay's sandbox gateway
  --timeout <ms>           give up after this long (default 15000)
  -h, --help               this help`;

type ClientArgs = {
  [K in keyof typeof CLIENT_ARG_OPTIONS]?: (typeof CLIENT_ARG_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/**
 * Builds a client from the command line and the environment; a missing or unreadable key is a
 * usage error (exit 2).
 *
 * @example
 * ```ts
 * const client = clientFromArgs(values);
 * ```
 */
export function clientFromArgs(values: ClientArgs): AlipayClient {
  const env = process.env;
  const appId = values['app-id'] ?? env['APP_ID'];
  const privateKey = values['private-key'] ?? env['APP_PRIVATE_KEY'];
  if (appId === undefined) throw new UsageError('give --app-id (or set $APP_ID)');
  if (privateKey === undefined) throw new UsageError('give --private-key (or set $APP_PRIVATE_KEY)');
  const options: AlipayClientOptions = { appId, privateKey: readKeyArgument(privateKey, '--private-key') };
  const publicKey = values['public-key'] ?? env['ALIPAY_PUBLIC_KEY'];
  const cert = values.cert ?? env['ALIPAY_PUBLIC_CERT'];
  const appCert = values['app-cert'] ?? env['APP_CERT'];
  const rootCert = values['root-cert'] ?? env['ALIPAY_ROOT_CERT'];
  if (cert !== undefined) options.alipayPublicCert = readKeyArgument(cert, '--cert');
  if (appCert !== undefined) options.appCert = readKeyArgument(appCert, '--app-cert');
  if (rootCert !== undefined) options.alipayRootCert = readKeyArgument(rootCert, '--root-cert');
  if (publicKey !== undefined && cert === undefined)
    options.alipayPublicKey = readKeyArgument(publicKey, '--public-key');
  const gateway = values.gateway ?? env['ALIPAY_GATEWAY'];
  if (gateway !== undefined) options.gateway = gateway;
  if (values.sandbox === true) options.sandbox = true;
  if (values.timeout !== undefined) {
    const ms = Number(values.timeout);
    if (!Number.isSafeInteger(ms) || ms <= 0)
      throw new UsageError('--timeout must be a positive integer number of milliseconds');
    options.timeoutMs = ms;
  }
  try {
    return createAlipayClient(options);
  } catch (err) {
    if (err instanceof AlipayNotifyError) throw new UsageError(`${err.code}: ${err.message}`);
    throw err;
  }
}

/** JSON-friendly copy of a typed result: amounts as their yuan text, dates in ISO 8601. */
export function resultToJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(resultToJson);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o['fen'] === 'number' && typeof o['yuan'] === 'string') return o['yuan'];
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined && k !== 'raw') out[k] = resultToJson(v);
    return out;
  }
  return value;
}

/**
 * Prints a failed call as JSON and picks the exit code: 3 when the gateway could not be reached
 * or timed out, 1 otherwise. Rethrows what is not ours.
 *
 * @example
 * ```ts
 * catch (err) { return printFailure(err); }
 * ```
 */
export function printFailure(err: unknown): number {
  if (!(err instanceof AlipayNotifyError)) throw err;
  const out: Record<string, unknown> = { ok: false, code: err.code, message: err.message };
  if (err instanceof AlipayGatewayError) {
    for (const k of ['httpStatus', 'alipayCode', 'msg', 'subCode', 'subMsg'] as const)
      if (err[k] !== undefined) out[k] = err[k];
  }
  // Alipay's sub_msg and the like are text we did not write.
  console.log(jsonForTerminal(out));
  return err.code === 'ERR_GATEWAY_UNREACHABLE' || err.code === 'ERR_GATEWAY_TIMEOUT' ? EXIT.UNREACHABLE : EXIT.FAILED;
}
