import { certificatePublicKey } from '../../crypto/certificates.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateTestCertificates } from '../../testing/generate-test-certificates.js';
import { generateTestKeyPair } from '../../testing/sign-notification.js';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { joinOptionValues } from '../join-option-values.js';
import { DEFAULT_FILES } from '../sign-from-options.js';
import { jsonForTerminal, printLines } from '../terminal-text.js';
import { pathTaken, writeNewFile } from '../write-new-file.js';

const usage = `Usage: alipay-notify keygen [options]

Writes a throwaway key pair that plays "Alipay" in your tests: the private key signs test
notifications (sign, send), the public key goes into your endpoint's alipayPublicKey.
Never use it for anything real.

Options:
  --out <dir>    where to write (default: the current directory)
  --cert         certificate mode too: also write a test root certificate and an
                 "Alipay" certificate (alipayRootCert / alipayPublicCert)
  --force        replace existing files (a symbolic link is replaced, never followed)
  --json         print what was written as JSON
  -h, --help     this help

Writes:
  ${DEFAULT_FILES.privateKey}   keep it for sign/send (--key)
  ${DEFAULT_FILES.publicKey}    give it to your endpoint; its base64 is printed
  ${DEFAULT_FILES.publicCert} / ${DEFAULT_FILES.rootCert}   with --cert

The private key is created owner-only (0600), also when --force replaces a file.

Examples:
  alipay-notify keygen
  alipay-notify keygen --cert --force          # replaces them with a certificate-mode set

Exit codes: 0 written, 2 bad arguments or a file already exists.`;

const OPTIONS = {
  out: { type: 'string', default: '.' },
  cert: { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: joinOptionValues(argv, OPTIONS), options: OPTIONS, allowPositionals: false });
  if (values.help === true) {
    console.log(usage);
    return EXIT.OK;
  }
  const dir = values.out ?? '.';
  const files: Record<string, string> = {};
  let publicKeyBase64: string;
  let certSn: string | undefined;
  if (values.cert === true) {
    const certs = generateTestCertificates();
    files[DEFAULT_FILES.privateKey] = certs.privateKey;
    files[DEFAULT_FILES.publicCert] = certs.alipayPublicCert;
    files[DEFAULT_FILES.rootCert] = certs.alipayRootCert;
    certSn = certs.alipayCertSn;
    const key = certificatePublicKey(certs.alipayPublicCert);
    files[DEFAULT_FILES.publicKey] = key.pem;
    publicKeyBase64 = key.base64;
  } else {
    const pair = generateTestKeyPair();
    files[DEFAULT_FILES.privateKey] = pair.privateKey;
    files[DEFAULT_FILES.publicKey] = pair.publicKey;
    publicKeyBase64 = pair.publicKeyBase64;
  }
  const paths = Object.keys(files).map((name) => join(dir, name));
  if (values.force !== true) {
    const existing = paths.filter((p) => pathTaken(p));
    if (existing.length > 0) throw new UsageError(`${existing.join(', ')} already exists (use --force to overwrite)`);
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    throw new UsageError(`cannot create the directory ${dir}`);
  }
  for (const [name, content] of Object.entries(files)) {
    // The private key is owner-only even though it is a throwaway one; no file is written through
    // a link someone planted in the directory.
    writeNewFile(join(dir, name), content, name === DEFAULT_FILES.privateKey ? 0o600 : 0o644, {
      replace: values.force === true,
    });
  }
  if (values.json === true) {
    console.log(
      jsonForTerminal({ files: paths, publicKeyBase64, ...(certSn === undefined ? {} : { alipayCertSn: certSn }) }),
    );
    return EXIT.OK;
  }
  printLines(paths.map((p) => `wrote ${p}`));
  if (certSn !== undefined) console.log(`alipay_cert_sn ${certSn}`);
  console.log(
    `\nYour endpoint's Alipay public key (a throwaway one, for tests only):\n\n  ALIPAY_PUBLIC_KEY=${publicKeyBase64}\n`,
  );
  return EXIT.OK;
}

/** `alipay-notify keygen`: writes a test "Alipay" key pair (and certificates with `--cert`). */
export const keygen: Command = {
  name: 'keygen',
  summary: 'write a throwaway "Alipay" key pair (or certificates) for tests',
  usage,
  run,
};
