import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFakeAlipayGateway } from '../../testing/fake-gateway/create-fake-alipay-gateway.js';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { joinOptionValues } from '../join-option-values.js';

const usage = `Usage: alipay-notify fake-gateway [options]

Runs a fake Alipay OpenAPI gateway on 127.0.0.1 for local testing: it checks request signatures,
keeps trades and refunds in memory, signs its answers with a throwaway key (or certificate), and
answers alipay.trade.query, alipay.trade.refund, alipay.trade.fastpay.refund.query,
alipay.trade.close and alipay.open.app.alipaycert.download. Prints one JSON line with the gateway
URL, the app id and the written key files, then serves until interrupted (Ctrl-C).

Options:
  --port <n>         port (default: any free port)
  --cert             certificate mode (公钥证书模式)
  --out <dir>        where to write the keys and certificates (default: the current directory)
  --trade <amount>   create a paid trade of this many yuan at start (repeatable); printed
  --odd-json         answer with unusual whitespace and escapes (tests exact-bytes verification)
  -h, --help         this help

Writes app-private-key.pem and alipay-public-key.pem (or, with --cert, alipay-public-cert.crt,
app-cert.crt and alipay-root-cert.crt) for: alipay-notify query-refund --gateway <url> …

Exit codes: 0 stopped, 2 bad arguments.`;

const OPTIONS = {
  port: { type: 'string' },
  cert: { type: 'boolean' },
  out: { type: 'string', default: '.' },
  trade: { type: 'string', multiple: true },
  'odd-json': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: joinOptionValues(argv, OPTIONS),
    options: OPTIONS,
    allowPositionals: false,
  });
  if (values.help === true) {
    console.log(usage);
    return EXIT.OK;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number');
  for (const amount of values.trade ?? [])
    if (!/^\d{1,10}(\.\d{1,2})?$/.test(amount) || Number(amount) <= 0)
      throw new UsageError('--trade must be a positive yuan amount');
  const gateway = await createFakeAlipayGateway({
    port,
    mode: values.cert === true ? 'certificate' : 'key',
    responseStyle: values['odd-json'] === true ? 'odd' : 'compact',
  });
  const options = gateway.clientOptions();
  const dir = values.out ?? '.';
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = { 'app-private-key.pem': options.privateKey };
  if (options.alipayPublicKey !== undefined) files['alipay-public-key.pem'] = options.alipayPublicKey;
  if (options.alipayPublicCert !== undefined) files['alipay-public-cert.crt'] = options.alipayPublicCert;
  if (options.appCert !== undefined) files['app-cert.crt'] = options.appCert;
  if (options.alipayRootCert !== undefined) files['alipay-root-cert.crt'] = options.alipayRootCert;
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, { mode: 0o600 });
  const trades = (values.trade ?? []).map((totalAmount) => ({ totalAmount, ...gateway.createTrade({ totalAmount }) }));
  // One line, so that a test or a script reads it with one readline; all of it is our own text.
  console.log(
    JSON.stringify({
      gateway: gateway.url,
      appId: gateway.appId,
      files: Object.keys(files).map((f) => join(dir, f)),
      trades,
    }),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await gateway.close();
  return EXIT.OK;
}

/** `alipay-notify fake-gateway`: runs the fake Alipay OpenAPI gateway until interrupted. */
export const fakeGateway: Command = {
  name: 'fake-gateway',
  summary: 'run a fake Alipay OpenAPI gateway on 127.0.0.1 for local tests',
  usage,
  run,
};
