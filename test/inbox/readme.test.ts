// The README section "Exactly once with your database" runs as shown: its TypeScript blocks
// type-check in a project that imports the package by name (the Express block together with the
// replay block that continues it), its SQL is what migrate() runs, and the Express and NestJS
// apps, started as they are written against a fresh PostgreSQL database, acknowledge a signed
// refund and write it once.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresInboxSql } from '../../src/inbox/postgres.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';
import { DB_URL, SKIP_NO_URL, freePort, uniqueName, until } from './db-env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const start = readme.indexOf('## Exactly once with your database');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = (lang: string): string[] =>
  [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const [expressBlock, nestBlock, replayBlock] = blocks('ts');
let project = '';
const children: ChildProcess[] = [];

before(() => {
  project = mkdtempSync(join(tmpdir(), 'alipay-notify-readme-inbox-'));
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  // The package by name (its built dist/), and the packages a merchant installs.
  symlinkSync(root, join(modules, 'alipay-refund-notify'));
  for (const name of ['express', 'pg', 'mysql2', '@nestjs', 'reflect-metadata', 'rxjs'])
    symlinkSync(join(root, 'node_modules', name), join(modules, name));
  for (const name of [
    'node',
    'express',
    'pg',
    'express-serve-static-core',
    'serve-static',
    'qs',
    'range-parser',
    'send',
    'mime',
    'http-errors',
    'body-parser',
    'connect',
  ]) {
    try {
      symlinkSync(join(root, 'node_modules/@types', name), join(modules, '@types', name));
    } catch {
      // not every @types package is installed; tsc says so if one is missing
    }
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'readme-user', private: true, type: 'module' }));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        types: ['node'],
      },
      include: ['*.ts'],
    }),
  );
  writeFileSync(join(project, 'express-app.ts'), `${expressBlock}\n// Continued, as the README says:\n${replayBlock}`);
  writeFileSync(join(project, 'express-only.ts'), expressBlock!);
  writeFileSync(join(project, 'nest-app.ts'), nestBlock!);
});
after(() => {
  for (const c of children) c.kill();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the section has its three TypeScript blocks and the SQL migrate() runs', () => {
  assert.equal(blocks('ts').length, 3);
  assert.equal(blocks('sql')[0]!.trim(), postgresInboxSql().trim());
});

test('its TypeScript type-checks as a merchant project (tsc, strict)', { timeout: 300_000 }, () => {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  } catch (err) {
    assert.fail(`tsc failed:\n${(err as { stdout?: string }).stdout}`);
  }
});

function post(port: number, path: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': body.length },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

for (const [name, file] of [
  ['Express', 'express-only.ts'],
  ['NestJS', 'nest-app.ts'],
] as const) {
  test(
    `the ${name} app runs as written: a refund is acknowledged and written once`,
    { skip: SKIP_NO_URL.postgres, timeout: 300_000 },
    async () => {
      const admin = new pg.Pool({ connectionString: DB_URL.postgres });
      const database = uniqueName('readme');
      await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(DB_URL.postgres!);
      url.pathname = `/${database}`;
      const shop = new pg.Pool({ connectionString: url.toString() });
      // DROP DATABASE ... WITH (FORCE) below ends every session on it; an idle one must not crash the test.
      for (const p of [admin, shop]) p.on('error', () => {});
      try {
        if (file === 'nest-app.ts')
          await shop.query(
            'CREATE TABLE refunds (out_biz_no text PRIMARY KEY, out_trade_no text NOT NULL, refund_fee_fen bigint NOT NULL)',
          );
        const alipay = generateTestKeyPair();
        const port = await freePort();
        const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(project, file)], {
          cwd: project,
          env: {
            ...process.env,
            DATABASE_URL: url.toString(),
            PORT: String(port),
            ALIPAY_PUBLIC_KEY: alipay.publicKeyBase64,
            ALIPAY_APP_ID: '2021000000000000',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        children.push(child);
        const { body, fields } = signNotification(buildRefundFields('partial', { appId: '2021000000000000' }), {
          privateKey: alipay.privateKey,
        });
        const path = '/alipay/notify';
        await until(
          async () => (await post(port, path, Buffer.from('x=1'))).body === 'fail',
          `the ${name} app to listen`,
          120_000,
        );
        assert.deepEqual(await post(port, path, body), { status: 200, body: 'success' });
        assert.deepEqual(await post(port, path, body), { status: 200, body: 'success' });
        const rows = await shop.query('SELECT out_trade_no, refund_fee_fen FROM refunds WHERE out_biz_no = $1', [
          fields['out_biz_no'],
        ]);
        assert.deepEqual(rows.rows, [{ out_trade_no: fields['out_trade_no'], refund_fee_fen: '3000' }]);
        child.kill();
        await new Promise((r) => child.once('exit', r));
      } finally {
        await shop.end();
        await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
        await admin.end();
      }
    },
  );
}
