// An app that loads the typings of @koa/bodyparser or koa-body compiles with our adapters under
// `skipLibCheck: false`. Those packages augment `http.IncomingMessage` with their own `rawBody`
// (`string`) and `body`; a type of ours that extends IncomingMessage and redeclares either field
// as `unknown` contradicts the augmentation (TS2430 in our .d.ts), which such an app cannot turn
// off without skipping every library check. Compiled against the built typings (`npm test`
// builds first), by the package's own name, from an ES module and a CommonJS module.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Virtual files inside the package, so that `alipay-refund-notify/...` resolves to its built
// typings by name (exports → dist/*.d.ts) and the parsers and frameworks from node_modules.
const DIR = 'body-parser-augmentations';
const dir = join(root, DIR);

const PARSERS = {
  '@koa/bodyparser': { imports: "import { bodyParser } from '@koa/bodyparser';", use: 'bodyParser()' },
  'koa-body': { imports: "import { koaBody } from 'koa-body';", use: 'koaBody()' },
} as const;
type Parser = keyof typeof PARSERS;

/** The same app with every adapter of ours, typed with the frameworks' request types. */
const appWithUs = (parser: Parser) => `
import type Koa from 'koa';
import type express from 'express';
import type { IncomingMessage } from 'node:http';
${PARSERS[parser].imports}
import type { NotifyAdapterOptions } from 'alipay-refund-notify';
import { createExpressHandler, type ExpressRequestLike } from 'alipay-refund-notify/express';
import { createKoaMiddleware } from 'alipay-refund-notify/koa';
import { alipayRefundNotifyPlugin } from 'alipay-refund-notify/fastify';
import { createFetchHandler } from 'alipay-refund-notify/fetch';
import { createServerlessHandler } from 'alipay-refund-notify/serverless';

declare const options: NotifyAdapterOptions;
export const mount = (app: Koa): void => {
  app.use(createKoaMiddleware<Koa.Context>({ ...options, path: '/alipay/notify' }));
  app.use(${PARSERS[parser].use});
};
export const expressHandler = createExpressHandler<express.Request>(options);
export const nodeHandler = createExpressHandler<IncomingMessage>(options);
export const others = [alipayRefundNotifyPlugin, createFetchHandler(options), createServerlessHandler(options)];
// The parser's declaration of rawBody still holds on our request type.
export const captured = (req: ExpressRequestLike): string | undefined => req.rawBody;
`;

/**
 * The shape ExpressRequestLike had before: an interface extending IncomingMessage that redeclares
 * the captured fields as `unknown`. Compiled next to the app, it shows the check sees the clash.
 */
const PRE_FIX_SHAPE = `
import type { IncomingMessage } from 'node:http';
export interface RequestLikeBefore extends IncomingMessage {
  body?: unknown;
  rawBody?: unknown;
}
`;

interface Problem {
  file: string;
  code: number;
  text: string;
}

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
};
// Both programs read the same library files: parsed once.
const parsed = new Map<string, ts.SourceFile | undefined>();

/**
 * Type-checks `files` (name → text, under `dir`) as a strict app with `skipLibCheck: false`, and
 * reports the errors in those files and in our built typings (the other libraries' own errors are
 * theirs: koa-body's augmentation, for one, contradicts @types/express, which @types/koa loads).
 */
function check(files: Record<string, string>): { problems: Problem[]; programFiles: string[] } {
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(dir, name), text]));
  const host = ts.createCompilerHost(OPTIONS);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.directoryExists = (d) => d === dir || (directoryExists?.call(host, d) ?? false);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = virtual.get(f);
    if (text !== undefined) return ts.createSourceFile(f, text, lang);
    if (!parsed.has(f)) parsed.set(f, getSourceFile.call(host, f, lang, ...rest));
    return parsed.get(f);
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options: OPTIONS, host });
  const name = (f: ts.SourceFile): string => relative(root, f.fileName).replace(/\\/g, '/');
  const checked = program.getSourceFiles().filter((f) => virtual.has(f.fileName) || name(f).startsWith('dist/'));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...checked.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  const problems = diagnostics.map((d) => ({
    file: d.file ? name(d.file) : '(program)',
    code: d.code,
    text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
  return { problems, programFiles: program.getSourceFiles().map(name) };
}

const describeProblems = (problems: Problem[]): string[] =>
  problems.map((p) => `${p.file} TS${p.code}: ${p.text.split('\n')[0]}`);

describe(
  'our typings next to body parsers that augment http.IncomingMessage (skipLibCheck: false)',
  { skip: !existsSync(join(root, 'dist', 'esm', 'adapters', 'express.d.ts')) && 'dist/ not built (npm run build)' },
  () => {
    for (const parser of Object.keys(PARSERS) as Parser[]) {
      test(`${parser}: an app using every adapter compiles from ESM and CommonJS; the pre-fix shape would not (control)`, () => {
        const { problems, programFiles } = check({
          'app.ts': appWithUs(parser),
          'app.cts': appWithUs(parser),
          'before.ts': PRE_FIX_SHAPE,
        });
        // Our built typings of both formats are in the program, so they were checked.
        for (const f of [
          'dist/esm/adapters/express.d.ts',
          'dist/cjs/adapters/express.d.ts',
          'dist/esm/adapters/koa.d.ts',
          'dist/cjs/adapters/koa.d.ts',
        ]) {
          assert.ok(programFiles.includes(f), `${f} is in the program`);
        }
        const [control, rest] = [
          problems.filter((p) => p.file === `${DIR}/before.ts`),
          problems.filter((p) => p.file !== `${DIR}/before.ts`),
        ];
        assert.deepEqual(describeProblems(rest), [], 'no error in our typings nor in the app using them');
        // The control: the shape our request type had before is refused in the same program.
        assert.deepEqual(
          control.map((p) => p.code),
          [2430],
          describeProblems(problems).join('\n'),
        );
        assert.match(control[0]!.text, /Interface 'RequestLikeBefore' incorrectly extends interface 'IncomingMessage'/);
      });
    }
  },
);
