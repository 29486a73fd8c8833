// `alipay-notify keygen` (src/cli/commands/keygen.ts), run as a real child process: a usable key
// pair, or certificate-mode files, never written over without --force.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createNotifyVerifier } from '../../src/index.js';
import { cli, keygenDir } from '../support/cli-harness.js';

const APP_ID = '2021000000000000';
const { dir } = keygenDir('cli-keygen');

describe('keygen', { concurrency: true }, () => {
  test('writes a usable pair, prints its base64 public key, refuses to overwrite without --force', async () => {
    const out = join(dir, 'kg');
    const r = await cli(['keygen', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const b64 = /ALIPAY_PUBLIC_KEY=([A-Za-z0-9+/=]+)/.exec(r.stdout)?.[1];
    assert.ok(b64);
    // The printed key is the public half of the written private key: a body signed with it verifies.
    const signed = await cli(['sign', '--key', join(out, 'alipay-test-private-key.pem')]);
    assert.equal(
      createNotifyVerifier({ alipayPublicKey: b64, appId: APP_ID }).verifyRefund(Buffer.from(signed.stdout, 'latin1'))
        .kind,
      'trade_refund',
    );
    const again = await cli(['keygen', '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists/);
    assert.equal((await cli(['keygen', '--out', out, '--force'])).code, 0);
  });

  test('--cert writes certificate-mode files that verify with alipayPublicCert + alipayRootCert', async () => {
    const out = join(dir, 'certs');
    const r = await cli(['keygen', '--out', out, '--cert', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout) as { alipayCertSn: string };
    const cert = join(out, 'alipayCertPublicKey_RSA2.test.crt');
    const signed = await cli(['sign', '--key', join(out, 'alipay-test-private-key.pem'), '--cert', cert, '--json']);
    const { fields } = JSON.parse(signed.stdout) as { fields: Record<string, string> };
    assert.equal(fields['alipay_cert_sn'], info.alipayCertSn);
    const v = await cli(
      [
        'verify',
        '-',
        '--cert',
        cert,
        '--root-cert',
        join(out, 'alipayRootCert.test.crt'),
        '--app-id',
        APP_ID,
        '--json',
      ],
      {
        input: Buffer.from((JSON.parse(signed.stdout) as { body: string }).body, 'latin1'),
      },
    );
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal((JSON.parse(v.stdout) as { ok: boolean }).ok, true);
  });

  test('without --out it writes to the current directory; --cert prints the certificate SN', async () => {
    const here = mkdtempSync(join(dir, 'cwd-'));
    const r = await cli(['keygen', '--cert'], { cwd: here });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^alipay_cert_sn [0-9a-f]{32}$/m);
    for (const file of [
      'alipay-test-private-key.pem',
      'alipay-test-public-key.pem',
      'alipayCertPublicKey_RSA2.test.crt',
      'alipayRootCert.test.crt',
    ]) {
      assert.ok(existsSync(join(here, file)), file);
    }
  });
});
