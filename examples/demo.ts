// `npm run demo`: the whole story, nothing external. A throwaway key pair plays Alipay; the
// Express example (examples/express.ts) is started on a free port with its public key; the
// `alipay-notify send` CLI (the built bin) then sends it a UTF-8 partial refund, a GBK full refund,
// the first one again (a duplicate, as Alipay's retries are) and a forgery. Every request stays on
// 127.0.0.1; the account printed is what the endpoint received, logged and answered.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNotifyBody } from 'alipay-refund-notify/building-blocks';
import { generateTestKeyPair } from 'alipay-refund-notify/testing';

const APP_ID = '2021000000000000';
const bin = fileURLToPath(new URL('../dist/esm/cli/main.js', import.meta.url));
const example = fileURLToPath(new URL('./express.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'alipay-notify-demo-'));
const keyFile = join(dir, 'alipay-test-private-key.pem');
const alipay = generateTestKeyPair();
writeFileSync(keyFile, alipay.privateKey);

// The endpoint: the Express example, as a merchant would run it, with the throwaway key.
const server = spawn(process.execPath, ['--import', 'tsx', example], {
  env: { ...process.env, PORT: '0', ALIPAY_PUBLIC_KEY: alipay.publicKeyBase64, APP_ID },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let logged: string[] = [];
const url = await new Promise<string>((resolve, reject) => {
  let buffer = '';
  server.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      const m = /^listening on (\S+)$/.exec(line);
      if (m !== null) resolve(m[1]!);
      else logged.push(line);
    }
  });
  server.on('exit', (code) => reject(new Error(`the Express example exited (${code}); run "npm run build" first`)));
});

interface Attempt {
  status?: number;
  reply?: string;
  error?: string;
  acknowledged: boolean;
}

/** Runs `alipay-notify send <url> …args` and returns its JSON report. */
function send(args: string[]): Promise<{ acknowledged: boolean; charset: string; attempts: Attempt[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'send', url, '--json', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out) as { acknowledged: boolean; charset: string; attempts: Attempt[] });
      } catch (err) {
        reject(err);
      }
    });
  });
}

let failures = 0;
async function step(
  n: number,
  title: string,
  args: string[],
  bodyFile: string,
  expect: boolean,
  note: string,
): Promise<void> {
  logged = [];
  const report = await send(args);
  // The endpoint logs before it answers; give its stdout pipe a moment to be read.
  await new Promise((r) => setTimeout(r, 150));
  const body = readFileSync(bodyFile);
  const fields = parseNotifyBody(body).fields;
  const a = report.attempts[0]!;
  const answer = a.status === undefined ? a.error : `HTTP ${a.status} ${JSON.stringify(a.reply)}`;
  const ok = report.acknowledged === expect;
  if (!ok) failures++;
  console.log(`\n${n}. ${title}`);
  console.log(
    `   sent      ${body.length} bytes, charset ${report.charset}, notify_id ${fields['notify_id']}, refund_fee ${fields['refund_fee']}`,
  );
  console.log(`   endpoint  ${logged.length === 0 ? '(did not call onRefund)' : logged.join('\n             ')}`);
  console.log(`   answered  ${answer}  ${ok ? '✔' : '✖ unexpected!'} ${note}`);
}

console.log('alipay-refund-notify demo: a throwaway key plays Alipay, nothing leaves 127.0.0.1');
console.log(`endpoint: examples/express.ts listening on ${url}`);

const utf8 = join(dir, 'utf8.body');
const gbk = join(dir, 'gbk.body');
const forged = join(dir, 'forged.body');
try {
  await step(
    1,
    'a partial refund, UTF-8',
    ['--key', keyFile, '--save-body', utf8],
    utf8,
    true,
    'Alipay stops sending it',
  );
  await step(
    2,
    'a full refund, GBK (the official Node SDK cannot verify these)',
    ['--key', keyFile, '--kind', 'full-refund', '--charset', 'GBK', '--save-body', gbk],
    gbk,
    true,
    'verified over GBK bytes',
  );
  await step(
    3,
    'the partial refund again: a duplicate, same notify_id, as Alipay retries send it',
    ['--body', utf8],
    utf8,
    true,
    'acknowledged, not handled twice',
  );
  writeFileSync(forged, readFileSync(utf8, 'latin1').replace('refund_fee=30.00', 'refund_fee=99.00'), 'latin1');
  await step(
    4,
    'a forgery: the partial refund with refund_fee changed to 99.00 after signing',
    ['--body', forged],
    forged,
    false,
    'rejected; Alipay would retry, a forger gets nothing',
  );
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures === 0 ? '\nAll four went as they should.' : `\n${failures} step(s) did not go as expected.`);
process.exitCode = failures === 0 ? 0 : 1;
