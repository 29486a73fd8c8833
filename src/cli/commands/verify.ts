import { parseArgs } from 'node:util';
import { DEFAULT_MAX_BODY_BYTES } from '../../body/parse-notify-body.js';
import { AlipayNotifyError, NotifyBodyError } from '../../errors/index.js';
import type { SignType } from '../../types.js';
import { createNotifyVerifier } from '../../verifier/create-notify-verifier.js';
import type { NotifyVerifierOptions } from '../../verifier/resolve-options.js';
import type { Command } from '../command.js';
import { describeNotification, notificationToJson } from '../describe-notification.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { explainFailure } from '../explain-failure.js';
import { joinOptionValues } from '../join-option-values.js';
import { readInput, readKeyArgument } from '../read-input.js';
import { jsonForTerminal, printLines } from '../terminal-text.js';

const usage = `Usage: alipay-notify verify [file|-] [options]

Verifies a captured notification body (the raw POST body, from a file or stdin) with your Alipay
public key or certificate, and prints the typed notification; when it does not verify, prints why.
Times are shown in Beijing time, as Alipay sent them (--json gives ISO 8601 UTC strings).

Keys (at least one of --public-key / --cert, or --md5-key for MD5):
  --public-key <file|key>  the Alipay public key: a file, or the base64/PEM itself
                           (default: $ALIPAY_PUBLIC_KEY)
  --cert <file>            certificate mode: alipayCertPublicKey_RSA2.crt (repeatable)
  --root-cert <file>       certificate mode: alipayRootCert.crt
  --md5-key <key>          legacy MAPI partner key (enables MD5)
Recipient:
  --app-id <id>            your app id (repeatable; default: $APP_ID)
  --partner <2088…>        legacy MAPI partner id, to accept notifications without app_id
Checks:
  --sign-types <list>      accepted sign types, comma-separated (default RSA2, plus MD5 with --md5-key)
  --refund-only            a verified notification that is not a refund fails (ERR_NOT_A_REFUND)
  --max-body-bytes <n>     refuse a larger body (ERR_BODY_TOO_LARGE) without reading past it
                           (default ${DEFAULT_MAX_BODY_BYTES}, as the verifier)
Output:
  --json                   print {"ok", "notification"} or {"ok": false, "code", …} as JSON
  -h, --help               this help

Examples:
  alipay-notify sign > captured.body
  alipay-notify verify captured.body --public-key "$ALIPAY_PUBLIC_KEY" --app-id 2021000000000000
  alipay-notify verify captured.body --public-key "$(cat alipay-test-public-key.pem)" --app-id 2021000000000000
  alipay-notify sign | alipay-notify verify --public-key alipay-test-public-key.pem --app-id 2021000000000000

Exit codes: 0 verified, 1 did not verify (the error code says why), 2 bad arguments or keys.`;

const OPTIONS = {
  'public-key': { type: 'string' },
  cert: { type: 'string', multiple: true },
  'root-cert': { type: 'string' },
  'md5-key': { type: 'string' },
  'app-id': { type: 'string', multiple: true },
  partner: { type: 'string', multiple: true },
  'sign-types': { type: 'string' },
  'refund-only': { type: 'boolean' },
  'max-body-bytes': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function maxBodyBytes(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_BODY_BYTES;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError('--max-body-bytes must be a positive whole number');
  return n;
}

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinOptionValues(argv, OPTIONS),
    options: OPTIONS,
    allowPositionals: true,
  });
  if (values.help === true) {
    console.log(usage);
    return EXIT.OK;
  }
  if (positionals.length > 1) throw new UsageError('give at most one file (or - for stdin)');
  const publicKey = values['public-key'] ?? process.env['ALIPAY_PUBLIC_KEY'];
  const appIds = values['app-id'] ?? (process.env['APP_ID'] === undefined ? [] : [process.env['APP_ID']]);
  const limit = maxBodyBytes(values['max-body-bytes']);
  const options: NotifyVerifierOptions = { appId: appIds, maxBodyBytes: limit };
  if (publicKey !== undefined) options.alipayPublicKey = readKeyArgument(publicKey, '--public-key');
  if (values.cert !== undefined) options.alipayPublicCert = values.cert.map((c) => readKeyArgument(c, '--cert'));
  if (values['root-cert'] !== undefined) options.alipayRootCert = readKeyArgument(values['root-cert'], '--root-cert');
  if (values.partner !== undefined) options.partner = values.partner;
  if (values['md5-key'] !== undefined) options.md5Key = values['md5-key'];
  const rsa = publicKey !== undefined || values.cert !== undefined;
  const defaultTypes: SignType[] = [
    ...(rsa ? (['RSA2'] as const) : []),
    ...(values['md5-key'] !== undefined ? (['MD5'] as const) : []),
  ];
  options.signTypes =
    values['sign-types'] === undefined
      ? defaultTypes
      : (values['sign-types'].split(',').map((s) => s.trim().toUpperCase()) as SignType[]);
  if (!rsa && values['md5-key'] === undefined)
    throw new UsageError('give --public-key, --cert or --md5-key (or set $ALIPAY_PUBLIC_KEY)');
  if (appIds.length === 0 && values.partner === undefined)
    throw new UsageError('give --app-id (or set $APP_ID), or --partner for legacy MAPI notifications');

  let verifier;
  try {
    verifier = createNotifyVerifier(options);
  } catch (err) {
    if (err instanceof AlipayNotifyError) throw new UsageError(`${err.code}: ${err.message}`);
    throw err;
  }
  let body: Buffer;
  try {
    body = await readInput(positionals[0], { limit });
  } catch (err) {
    if (!(err instanceof NotifyBodyError)) throw err;
    // Refused before it was read whole: there is nothing to diagnose.
    if (values.json === true) console.log(jsonForTerminal({ ok: false, code: err.code, message: err.message, limit }));
    else
      printLines([
        `✖ not verified: ${err.code}`,
        `  the body is larger than ${limit} bytes (--max-body-bytes); a real notification is a few KB, so it was not read past the limit`,
      ]);
    return EXIT.FAILED;
  }
  try {
    const n = values['refund-only'] === true ? verifier.verifyRefund(body) : verifier.verify(body);
    if (values.json === true) console.log(jsonForTerminal({ ok: true, notification: notificationToJson(n) }));
    else printLines(describeNotification(n));
    return EXIT.OK;
  } catch (err) {
    if (!(err instanceof AlipayNotifyError)) throw err;
    const explanation = explainFailure(err, body, options);
    if (values.json === true) console.log(jsonForTerminal({ ok: false, ...explanation.json }));
    else printLines(explanation.lines);
    return EXIT.FAILED;
  }
}

/** `alipay-notify verify`: verifies a captured body and prints the typed result or why it failed. */
export const verify: Command = {
  name: 'verify',
  summary: 'verify a captured body; print the typed notification, or why it fails',
  usage,
  run,
};
