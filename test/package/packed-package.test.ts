// The package as npm ships it: pack the tarball, check what is in it, install it
// into a fresh project without any framework, and load every subpath from ESM, CommonJS and
// TypeScript (`node16` and `bundler` resolution); then publint and attw on the same tarball.
// quick-start.test.ts runs the README from a tarball; test/adapters/package-exports.test.ts runs
// the adapters from the built tree; this file covers the package's shape (`npm test` builds first).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  installPackedPackage,
  PACKAGE_NAME as NAME,
  repoRoot as root,
  type PackedProject,
} from './support/packed-project.js';

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
  main: string;
  module: string;
  types: string;
  bin: Record<string, string>;
};

// What each subpath must export at runtime (a sample: the full key lists are compared ESM vs CJS).
const RUNTIME: Record<string, string[]> = {
  '.': [
    'verifyNotify',
    'verifyRefundNotify',
    'createNotifyVerifier',
    'diagnoseNotify',
    'createMemoryStore',
    'AlipayNotifyError',
    'NotifyAdapterError',
  ],
  './building-blocks': [
    'parseNotifyBody',
    'buildSignContent',
    'verifySignature',
    'importAlipayPublicKey',
    'certificateSn',
    'openRsaSignature',
  ],
  './testing': [
    'generateTestKeyPair',
    'signNotification',
    'buildRefundFields',
    'encodeFormBody',
    'generateTestCertificates',
  ],
  './express': ['createExpressHandler', 'NotifyAdapterError'],
  './koa': ['createKoaMiddleware', 'NotifyAdapterError'],
  './fastify': ['alipayRefundNotifyPlugin', 'NotifyAdapterError'],
  './fetch': ['createFetchHandler', 'NotifyAdapterError'],
  './serverless': ['createServerlessHandler', 'NotifyAdapterError'],
  './redis': ['createRedisStore', 'DEFAULT_REDIS_PREFIX', 'RedisStoreTimeoutError'],
  './postgres': ['createPostgresInbox', 'postgresInboxSql', 'isNotifyInbox'],
  './mysql': ['createMysqlInbox', 'mysqlInboxSql', 'isNotifyInbox'],
  './client': ['createAlipayClient', 'pollRefund', 'AlipayGatewayError'],
};
const CODE_SUBPATHS = Object.keys(RUNTIME);
const spec = (sub: string) => (sub === '.' ? NAME : `${NAME}/${sub.slice(2)}`);
const FRAMEWORKS = ['express', 'koa', 'fastify', 'ioredis', 'redis', 'hono', 'pg', 'mysql2'];

let packed: PackedProject | undefined;
let project = '';
let tarball = '';
let packedFiles: readonly string[] = [];

before(() => {
  packed = installPackedPackage('arn-packed-');
  ({ dir: project, tarball, files: packedFiles } = packed);
  // The typings need Node's types (Buffer, IncomingMessage), as any Node project has; linked from
  // this repo rather than downloaded. No framework is installed.
  packed.linkFromRepo({ '@types/node': '@types/node' });
});

after(() => packed?.remove());

function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(targets);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
}

test('the tarball holds dist, the docs and every file package.json points at, and no sources or tests', () => {
  const allowed = /^(dist\/.+\.(js|d\.ts)|dist\/cjs\/package\.json|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/;
  assert.deepEqual(
    packedFiles.filter((f) => !allowed.test(f)),
    [],
  );
  for (const f of [
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    'dist/cjs/package.json',
    'dist/esm/index.js',
    'dist/cjs/index.js',
  ])
    assert.ok(packedFiles.includes(f), f);
  const pointed = [
    ...targets(pkg.exports),
    ...targets(pkg.typesVersions ?? {}),
    ...targets(pkg.bin),
    pkg.main,
    pkg.module,
    pkg.types,
  ].map((p) => p.replace(/^\.\//, ''));
  assert.ok(pointed.length > 30);
  assert.deepEqual(
    pointed.filter((p) => !packedFiles.includes(p)),
    [],
    'package.json points only at packed files',
  );
  assert.deepEqual(Object.keys(pkg.exports).sort(), [...CODE_SUBPATHS, './package.json'].sort());
  // Without this file Node would read dist/cjs/*.js as ESM (the package is "type": "module").
  assert.deepEqual(
    JSON.parse(readFileSync(join(project, 'node_modules', NAME, 'dist', 'cjs', 'package.json'), 'utf8')),
    { type: 'commonjs' },
  );
});

test('the install brings no framework: the peers are optional', () => {
  const present = FRAMEWORKS.filter((f) => existsSync(join(project, 'node_modules', f)));
  assert.deepEqual(present, []);
});

test('every subpath loads from ESM and CommonJS, with the same exports and one class per format', () => {
  const listing = (load: (s: string) => string) => `
    const subs = ${JSON.stringify(CODE_SUBPATHS.map(spec))};
    const out = {};
    const mods = [];
    for (const s of subs) { const m = ${load('s')}; mods.push(m); out[s] = Object.keys(m).filter((k) => k !== 'default').sort(); }
    // Subpaths share one copy of the error classes, so instanceof works across them.
    const main = mods[0];
    out.sameClass = mods.filter((m) => 'NotifyAdapterError' in m).map((m) => m.NotifyAdapterError === main.NotifyAdapterError);
    out.errorBase = new main.NotifyAdapterError('ERR_HANDLER_FAILED', 'x') instanceof main.AlipayNotifyError;
    console.log(JSON.stringify(out));
  `;
  const esm = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', listing((s) => `(await import(${s}))`)], {
      cwd: project,
      encoding: 'utf8',
    }),
  );
  const cjs = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '-e',
        `(async () => { ${listing((s) => `require(${s})`)} })().catch((e) => { console.error(e); process.exit(1); });`,
      ],
      { cwd: project, encoding: 'utf8' },
    ),
  );
  assert.deepEqual(cjs, esm);
  for (const [sub, names] of Object.entries(RUNTIME)) {
    const keys = esm[spec(sub)] as string[];
    assert.deepEqual(
      names.filter((n) => !keys.includes(n)),
      [],
      `${sub} exports ${names.join(', ')}`,
    );
  }
  assert.deepEqual(esm.sameClass, [true, true, true, true, true, true]);
  assert.equal(esm.errorBase, true);
});

test('the two formats really are ESM and CommonJS files, and ./package.json is exported', () => {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       const require = createRequire(import.meta.url);
       const pkg = (await import('${NAME}/package.json', { with: { type: 'json' } })).default;
       console.log(JSON.stringify([import.meta.resolve('${NAME}'), require.resolve('${NAME}'), pkg.name, require('${NAME}/package.json').name]));`,
    ],
    { cwd: project, encoding: 'utf8' },
  );
  const [esmUrl, cjsPath, esmName, cjsName] = JSON.parse(out) as string[];
  assert.match(esmUrl!, /\/dist\/esm\/index\.js$/);
  assert.match(cjsPath!, /[\\/]dist[\\/]cjs[\\/]index\.js$/);
  assert.equal(esmName, NAME);
  assert.equal(cjsName, NAME);
});

test('the alipay-notify bin runs from the install', () => {
  const out = execFileSync(packed!.bin('alipay-notify'), ['--help'], { cwd: project, encoding: 'utf8' });
  assert.match(out, /^Usage: alipay-notify <command>/);
});

// A merchant's TypeScript: every subpath, a few types, and `@ts-expect-error` lines that fail the
// compile if the types came through as `any`. skipLibCheck is off: the shipped .d.ts are checked too.
const CONSUMER = `
import { verifyNotify, isRefundNotification, AlipayNotifyError, type AlipayNotification, type Amount, type RefundNotification } from '${NAME}';
import { generateTestKeyPair, buildRefundFields, signNotification } from '${NAME}/testing';
import { createExpressHandler } from '${NAME}/express';
import { createKoaMiddleware } from '${NAME}/koa';
import { alipayRefundNotifyPlugin, type FastifyNotifyOptions } from '${NAME}/fastify';
import { createFetchHandler } from '${NAME}/fetch';
import { createRedisStore, type RedisLikeClient } from '${NAME}/redis';

const alipay = generateTestKeyPair();
const options = { alipayPublicKey: alipay.publicKey, appId: '2021000000000000' };
const n: AlipayNotification = verifyNotify(signNotification(buildRefundFields('partial'), { privateKey: alipay.privateKey }).body, options);
if (n.kind === 'trade_refund') {
  const fen: number = n.refundFee?.fen ?? 0;
  // @ts-expect-error an Amount is not a number
  const wrong: number = n.refundFee;
  void fen, wrong;
}
export const refundOnly: boolean = isRefundNotification(n);
const onRefund = async (r: RefundNotification): Promise<void> => { const a: Amount | undefined = r.kind === 'batch_refund' ? r.details[0]?.amount : undefined; void a; };
export const express = createExpressHandler({ ...options, onRefund, onNotification: 'retry' });
export const koa = createKoaMiddleware({ ...options, onRefund, onNotification: 'acknowledge', path: '/notify' });
export const fastifyOptions: FastifyNotifyOptions = { ...options, onRefund, onNotification: 'retry', path: '/notify' };
export const fastifyPlugin: typeof alipayRefundNotifyPlugin = alipayRefundNotifyPlugin;
export const fetchHandler: (request: Request) => Promise<Response> = createFetchHandler({ ...options, onRefund, onNotification: 'retry' });
declare const client: RedisLikeClient;
export const store = createRedisStore({ client, prefix: 'shop:' });
// @ts-expect-error the adapters need onRefund
createFetchHandler({ ...options, onNotification: 'retry' });
export const isError = (e: unknown): string | undefined => (e instanceof AlipayNotifyError ? e.code : undefined);
`;

function typecheck(name: string, compilerOptions: Record<string, unknown>, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) writeFileSync(join(project, file), text);
  const config = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: 'ES2022',
      lib: ['ES2022'],
      types: ['node'],
      ...compilerOptions,
    },
    files: Object.keys(files),
  };
  writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify(config));
  try {
    execFileSync(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], {
      cwd: project,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    assert.fail(`tsc (${name}) failed in the fresh project:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

test('TypeScript, moduleResolution node16: every subpath type-checks from an ES module and a CommonJS module', () => {
  typecheck(
    'node16',
    { module: 'node16', moduleResolution: 'node16' },
    { 'consumer-esm.ts': CONSUMER, 'consumer-cjs.cts': CONSUMER },
  );
});

test('TypeScript, moduleResolution bundler: every subpath type-checks', () => {
  typecheck('bundler', { module: 'esnext', moduleResolution: 'bundler' }, { 'consumer-bundler.ts': CONSUMER });
});

// Both tools are dev dependencies; skipped (not passed) only where they are not installed.
const publint = join(root, 'node_modules', '.bin', 'publint');
const attw = join(root, 'node_modules', '.bin', 'attw');

test(
  'publint --strict finds nothing in the tarball',
  { skip: existsSync(publint) ? false : 'publint is not installed (npm ci installs it)' },
  () => {
    const out = execFileSync(publint, ['run', '--strict', tarball], { cwd: project, encoding: 'utf8' });
    assert.match(out, /All good!/);
  },
);

test(
  'attw (are the types wrong) finds nothing in the tarball, node10 included',
  { skip: existsSync(attw) ? false : '@arethetypeswrong/cli is not installed (npm ci installs it)' },
  () => {
    // --no-definitely-typed: look at this package's own types only, without asking the registry.
    let out: string;
    try {
      out = execFileSync(attw, [tarball, '--no-definitely-typed', '--format', 'ascii', '--no-color'], {
        cwd: project,
        encoding: 'utf8',
      });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      assert.fail(`attw reported problems:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
    assert.match(out, /No problems found/);
  },
);
