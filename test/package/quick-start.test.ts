import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { installPackedPackage, repoRoot as root, type PackedProject } from './support/packed-project.js';

// Tried as a new user would: pack the package, install the tarball into an
// empty project, and run the README's quick start there, from ESM and from CommonJS.
let packed: PackedProject | undefined;
let project = '';

function readmeQuickStart(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(match, 'README has a ts block under "## Quick start"');
  return match[1]!;
}

before(() => {
  packed = installPackedPackage('arn-quickstart-');
  project = packed.dir;
});

after(() => packed?.remove());

// What the quick start leaves to the reader: a raw body and the Alipay public key.
const SETUP = `
const alipay = generateTestKeyPair();
process.env.ALIPAY_PUBLIC_KEY = alipay.publicKeyBase64;
const rawBody = signNotification(buildRefundFields('partial', { appId: '2021000000000000' }), { privateKey: alipay.privateKey }).body;
`;

test('the README quick start runs from ESM in a fresh project', () => {
  const code = readmeQuickStart();
  const file = join(project, 'quick-start.mjs');
  // Types are stripped by hand: the quick start's only annotation is the non-null `!`.
  const js = code.replace(/process\.env\.ALIPAY_PUBLIC_KEY!/g, 'process.env.ALIPAY_PUBLIC_KEY');
  const [imports, rest] = [js.match(/^import .*$/gm)!.join('\n'), js.replace(/^import .*$/gm, '')];
  writeFileSync(
    file,
    `${imports}\nimport { generateTestKeyPair, buildRefundFields, signNotification } from 'alipay-refund-notify/testing';\n${SETUP}\n${rest}`,
  );
  const out = execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' });
  assert.match(out, /^partial \S+ \S+ 3000$/m);
});

test('every subpath imports from CommonJS and ESM with the same exports', () => {
  const subpaths = ['alipay-refund-notify', 'alipay-refund-notify/testing'];
  for (const sp of subpaths) {
    const cjs = execFileSync(
      process.execPath,
      ['-e', `console.log(Object.keys(require(${JSON.stringify(sp)})).sort().join(','))`],
      { cwd: project, encoding: 'utf8' },
    );
    const esm = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(sp)}); console.log(Object.keys(m).filter((k) => k !== 'default').sort().join(','))`,
      ],
      {
        cwd: project,
        encoding: 'utf8',
      },
    );
    assert.equal(cjs, esm, sp);
    assert.ok(cjs.split(',').length > 3, sp);
  }
  const cjsVerify = execFileSync(
    process.execPath,
    [
      '-e',
      "const { verifyRefundNotify, AlipayNotifyError } = require('alipay-refund-notify'); try { verifyRefundNotify('a=1', { alipayPublicKey: require('alipay-refund-notify/testing').generateTestKeyPair().publicKey, appId: '1' }) } catch (e) { console.log(e instanceof AlipayNotifyError, e.code) }",
    ],
    { cwd: project, encoding: 'utf8' },
  );
  assert.equal(cjsVerify.trim(), 'true ERR_SIGNATURE_MISSING');
});
