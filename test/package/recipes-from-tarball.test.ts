// The README's framework recipes, as written, from the packed tarball: the package is packed and
// laid out in a fresh project as npm installs it (its dependencies and the frameworks linked from
// this repository's node_modules: no network), each recipe's code blocks are written there as its
// files (with the README's notify-options.ts) and compiled to JavaScript as the frameworks' CLIs
// do (esbuild, legacy decorators), and each app is started with node in a process of its own.
// Notifications are sent by the tarball's own `alipay-notify send`, signed with a key from its
// `alipay-notify keygen`: a UTF-8 and a GBK refund are answered exactly `success` and handled once
// each although sent twice, tampered copies get `fail`, and a payment is acknowledged.
// test/frameworks/ runs the same recipes from the sources, with more cases (the wrong mount orders
// and their hints); this file proves what ships.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import iconv from 'iconv-lite';
import { readmeBlocks, type ReadmeBlock } from '../frameworks/support/readme-blocks.js';
import { APP_ID, NOTIFY_PATH, tamperRefundFee } from '../frameworks/support/recipe-cases.js';
import { startInstance, type Instance } from '../support/child-app.js';
import { freePort } from '../support/free-port.js';
import { installPackedPackage, type PackedProject } from './support/packed-project.js';

interface Recipe {
  name: string;
  /** The README's `### ` heading of the recipe. */
  heading: string;
  /** Which of the heading's blocks, when it has several alternatives (NestJS's two platforms). */
  block?: number;
  /** Replacements the README offers in a comment (`// or koaBody() from koa-body`), each made exactly once. */
  edits?: [string, string][];
  /** How the app starts: its main.ts listens, or the framework's starter (what the README leaves to it). */
  start: 'main' | 'egg' | 'midway';
}

const NEST = 'NestJS (Express and Fastify platforms)';
const RECIPES: Recipe[] = [
  {
    name: 'Express 5, with express.json() and express.urlencoded() app-wide',
    heading: 'Express (4 and 5)',
    start: 'main',
  },
  { name: "NestJS, Express platform with Nest's default parsers", heading: NEST, block: 0, start: 'main' },
  { name: 'NestJS, Fastify platform', heading: NEST, block: 1, start: 'main' },
  { name: 'Koa 3 + @koa/bodyparser', heading: 'Koa (2 and 3)', start: 'main' },
  {
    name: 'Koa 3 + koa-body',
    heading: 'Koa (2 and 3)',
    edits: [
      ["import { bodyParser } from '@koa/bodyparser';", "import { koaBody } from 'koa-body';"],
      ['app.use(bodyParser());', 'app.use(koaBody());'],
    ],
    start: 'main',
  },
  { name: 'Fastify 5 + @fastify/formbody', heading: 'Fastify (4 and 5)', start: 'main' },
  { name: "Egg.js, with Egg's body parser and CSRF check", heading: 'Egg.js', start: 'egg' },
  { name: "Midway (Koa), with Midway's body parser", heading: 'Midway', start: 'midway' },
];

/** Where a recipe's files are, in the project. */
function recipeDir(i: number): string {
  return `recipe-${i}`;
}

// What the recipes import, by the names an app uses, from this repository's node_modules.
const FRAMEWORKS: Record<string, string> = {
  express: 'express5',
  koa: 'koa3',
  fastify: 'fastify5',
  '@koa/bodyparser': '@koa/bodyparser',
  'koa-body': 'koa-body',
  '@fastify/formbody': '@fastify/formbody',
  '@nestjs/common': '@nestjs/common',
  '@nestjs/core': '@nestjs/core',
  '@nestjs/platform-express': '@nestjs/platform-express',
  '@nestjs/platform-fastify': '@nestjs/platform-fastify',
  egg: 'egg',
  '@midwayjs/bootstrap': '@midwayjs/bootstrap',
  '@midwayjs/core': '@midwayjs/core',
  '@midwayjs/koa': '@midwayjs/koa',
};

const blocks = readmeBlocks(['## Framework adapters']);
const OPTIONS_FILE = 'notify-options.ts';
const notifyOptions = blocks.find((b) => b.named === OPTIONS_FILE);

let project: PackedProject | undefined;
let privateKey = '';
let publicKey = '';

before(async () => {
  project = installPackedPackage('arn-recipes-', { install: 'unpacked' });
  project.linkFromRepo(FRAMEWORKS);
  // The sources: each recipe's files from the README, and the entry point that starts them.
  const sources = join(project.dir, 'src');
  const written = RECIPES.flatMap((recipe, i) => writeRecipe(recipe, join(sources, recipeDir(i))));
  written.push(join(sources, 'start-recipe.ts'));
  writeFileSync(written.at(-1)!, readFileSync(new URL('./fixtures/start-recipe.ts', import.meta.url)));
  // Compiled file by file, imports kept, as tsc or Nest's and Midway's CLIs compile an app:
  // legacy decorators (@Module, @Configuration), ES modules (the project's "type": "module").
  await build({
    entryPoints: written,
    outdir: project.dir,
    outbase: sources,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
    logLevel: 'silent',
  });
  // An Egg app is a package: Egg reads its name from package.json.
  RECIPES.forEach((recipe, i) => {
    if (recipe.start === 'egg')
      writeFileSync(
        join(project!.dir, recipeDir(i), 'package.json'),
        JSON.stringify({ name: 'egg-recipe', private: true, type: 'module' }),
      );
  });
  const keys = await cli(['keygen', '--out', join(project.dir, 'keys'), '--json']);
  assert.equal(keys.code, 0, keys.stderr);
  publicKey = (JSON.parse(keys.stdout) as { publicKeyBase64: string }).publicKeyBase64;
  privateKey = join(project.dir, 'keys', 'alipay-test-private-key.pem');
});

after(() => project?.remove());

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the tarball's `alipay-notify` in the project. */
function cli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(project!.bin('alipay-notify'), args, { cwd: project!.dir, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

/** `alipay-notify send --json` to the app: the exit code and what the app answered. */
async function send(url: string, args: string[]): Promise<{ code: number; status: number; reply: string }> {
  const sent = await cli(['send', url, '--key', privateKey, '--app-id', APP_ID, '--json', ...args]);
  const attempt = (JSON.parse(sent.stdout) as { attempts: { status: number; reply: string }[] }).attempts[0]!;
  return { code: sent.code, status: attempt.status, reply: attempt.reply };
}

/** Writes the recipe's files (its README blocks, and the README's notify-options.ts) under `dir`; returns their paths. */
function writeRecipe(recipe: Recipe, dir: string): string[] {
  assert.ok(notifyOptions, `README names a block ${OPTIONS_FILE}`);
  const files = new Map<string, string>([[OPTIONS_FILE, notifyOptions.code]]);
  for (const b of recipeBlocks(recipe)) {
    let code = b.code;
    for (const [from, to] of recipe.edits ?? []) {
      assert.equal(code.split(from).length, 2, `README line ${b.line}: "${from}" once`);
      code = code.replace(from, to);
    }
    if (recipe.start === 'main') {
      // The one change: the port the test picked instead of 3000.
      assert.equal(code.match(/\b3000\b/g)?.length, 1, `README line ${b.line}: listens on 3000, once`);
      code = code.replace(/\b3000\b/, "Number(process.env['PORT'])");
    }
    files.set(b.named ?? 'main.ts', code);
  }
  return [...files].map(([file, code]) => {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
    return path;
  });
}

/** The recipe's README blocks. */
function recipeBlocks(recipe: Recipe): ReadmeBlock[] {
  const own = blocks.filter((b) => b.heading === recipe.heading);
  const used = recipe.block === undefined ? own : [own[recipe.block]!];
  assert.ok(used.length > 0 && used.every(Boolean), `README has code under "### ${recipe.heading}"`);
  return used;
}

/** A field of a GBK form body, decoded: what the handler must have seen. */
function gbkField(body: Buffer, name: string): string {
  const pair = body
    .toString('latin1')
    .split('&')
    .find((p) => p.startsWith(`${name}=`));
  assert.ok(pair, `the body has ${name}`);
  const bytes = pair
    .slice(name.length + 1)
    .replace(/\+/g, ' ')
    .replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return iconv.decode(Buffer.from(bytes, 'latin1'), 'gbk');
}

const notifyIdOf = (body: Buffer): string => /(?:^|&)notify_id=([^&]+)/.exec(body.toString('latin1'))![1]!;

describe(
  'the README recipes, from the packed tarball, with notifications sent by its alipay-notify',
  { concurrency: 2 },
  () => {
    RECIPES.forEach((recipe, i) => {
      test(recipe.name, { timeout: 180_000 }, async () => {
        const where = `README lines ${recipeBlocks(recipe)
          .map((b) => b.line)
          .join(', ')}`;
        const port = await freePort();
        const files = join(project!.dir, `${recipeDir(i)}-sent`);
        mkdirSync(files);
        // HOME: Midway writes its logs under it (Egg too, outside its local env): kept in the project.
        const env = {
          RECIPE_DIR: recipeDir(i),
          START: recipe.start,
          PORT: String(port),
          ALIPAY_PUBLIC_KEY: publicKey,
          HOME: project!.dir,
        };
        const app: Instance = await startInstance(join(project!.dir, 'start-recipe.js'), recipe.name, env, {
          cwd: project!.dir,
          quiet: true,
          tsx: false,
        });
        try {
          const url = `http://127.0.0.1:${port}${NOTIFY_PATH}`;
          const why = (what: string) => `${what} (${where}); the app printed:\n${app.output()}`;
          const success = { code: 0, status: 200, reply: 'success' };
          const fail = { code: 1, status: 400, reply: 'fail' };
          const utf8 = join(files, 'utf8.body');
          const gbk = join(files, 'gbk.body');

          assert.deepEqual(await send(url, ['--save-body', utf8]), success, why('UTF-8 refund'));
          assert.deepEqual(
            await send(url, ['--kind', 'full-refund', '--charset', 'GBK', '--save-body', gbk]),
            success,
            why('GBK refund'),
          );
          // Alipay sends a notification again when it missed the answer: same body, same notify_id.
          assert.deepEqual(await send(url, ['--body', utf8]), success, why('UTF-8 refund, again'));
          assert.deepEqual(await send(url, ['--body', gbk]), success, why('GBK refund, again'));
          for (const [file, charset] of [
            [utf8, 'UTF-8'],
            [gbk, 'GBK'],
          ] as const) {
            const forged = `${file}.forged`;
            writeFileSync(forged, tamperRefundFee(readFileSync(file)));
            assert.deepEqual(await send(url, ['--body', forged]), fail, why(`tampered ${charset} refund`));
          }
          assert.deepEqual(await send(url, ['--kind', 'payment']), success, why('payment'));
          // The payment was sent last: once its handler has reported, every earlier report is in
          // (one IPC channel, in order).
          await app.waitFor((e) => e.type === 'handler-start' && e.kind === 'trade', 'the payment handler');

          const [utf8Body, gbkBody] = [readFileSync(utf8), readFileSync(gbk)];
          const handled = app.events.filter((e) => e.type === 'handler-start');
          assert.deepEqual(
            handled.filter((e) => e.kind !== 'trade').map((e) => [e.notifyId, e.charset]),
            [
              [notifyIdOf(utf8Body), 'utf-8'],
              [notifyIdOf(gbkBody), 'gbk'],
            ],
            why('onRefund ran once per notify_id, the tampered ones never'),
          );
          assert.equal(handled.filter((e) => e.kind === 'trade').length, 1, why('onNotification ran once'));
          const subject = gbkField(gbkBody, 'subject');
          assert.match(subject, /[\u4e00-\u9fff]/, 'the GBK refund carries Chinese text');
          assert.equal(handled[1]!.subject, subject, why('the GBK refund was decoded as GBK'));
          // The README's onError logs each fail with its code and status.
          assert.equal(
            app.output().match(/alipay notify ERR_SIGNATURE_INVALID 400/g)?.length,
            2,
            why('onError saw both forgeries'),
          );
        } finally {
          await app.kill();
        }
      });
    });
  },
);
