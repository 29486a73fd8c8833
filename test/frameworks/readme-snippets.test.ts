// The README's TypeScript under --strict: every ```ts block of "Quick start" and "Framework
// adapters" is compiled with tsc against the built package's types (`npm run build` first), as a
// user's file importing `alipay-refund-notify/...` would be. A block whose first line names a file
// (`// notify-options.ts`) is that file, so the recipes can import `./notify-options.js`; a block
// preceded by `<!-- ts-fragment -->` leaves something to the reader, declared by PRELUDE.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { readmeBlocks } from './support/readme-blocks.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SECTIONS = ['## Quick start', '## Framework adapters'];
// What the fragments leave to the reader: the raw body, the app's own database, and the globals
// of Bun and Deno (from their own type packages in a real project).
const PRELUDE = [
  "type Notification = import('alipay-refund-notify').AlipayNotification;",
  'declare const rawBody: Buffer;',
  'declare const Bun: { serve(o: { port: number; fetch: (req: Request) => Response | Promise<Response> }): unknown };',
  'declare const Deno: { serve(o: { port: number }, handler: (req: Request) => Response | Promise<Response>): unknown };',
  'declare const db: { recordRefund(refund: Notification, rawBody: Buffer): Promise<void>; recordPayment(payment: Notification): Promise<void> };',
  '',
].join('\n');

interface Snippet {
  file: string;
  code: string;
  /** The README line of the block's first line of code. */
  line: number;
  /** Lines added in front of the block (PRELUDE). */
  added: number;
}

function readmeSnippets(): Snippet[] {
  const taken = new Set<string>();
  return readmeBlocks(SECTIONS).map((block, i) => {
    let file = block.named ?? `snippet-${i + 1}.ts`;
    for (let n = 2; taken.has(file); n++) file = (block.named ?? 'snippet.ts').replace(/\.ts$/, `-${n}.ts`);
    taken.add(file);
    const added = block.fragment ? PRELUDE.split('\n').length - 1 : 0;
    return { file, code: block.fragment ? PRELUDE + block.code : block.code, line: block.line, added };
  });
}

test("the README's TypeScript in Quick start and Framework adapters compiles under --strict against the built types", () => {
  assert.ok(existsSync(join(root, 'dist', 'esm', 'adapters', 'express.d.ts')), 'the package is built (npm run build)');
  const snippets = readmeSnippets();
  assert.ok(snippets.length >= 12, `found ${snippets.length} ts blocks`);
  assert.ok(
    snippets.some((s) => s.file === 'notify-options.ts'),
    'the shared options block names its file',
  );

  // Virtual files inside the package, so that `alipay-refund-notify/...` resolves to this package
  // by its own name (exports → dist/*.d.ts) and the frameworks from its node_modules.
  const dir = join(root, 'readme-snippets');
  const files = new Map(snippets.map((s) => [join(dir, ...s.file.split(posix.sep)), s]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    skipLibCheck: true,
    // NestJS and Midway apps are compiled with legacy decorators, as their CLIs set up.
    experimentalDecorators: true,
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f)?.code ?? readFile.call(host, f);
  host.directoryExists = (d) =>
    [...files.keys()].some((f) => f.startsWith(`${d}/`)) || (directoryExists?.call(host, d) ?? false);
  host.getSourceFile = (f, lang, ...rest) => {
    const s = files.get(f);
    return s ? ts.createSourceFile(f, s.code, lang) : getSourceFile.call(host, f, lang, ...rest);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const s = d.file ? files.get(d.file.fileName) : undefined;
    const where =
      d.file && s
        ? `README.md line ${s.line + d.file.getLineAndCharacterOfPosition(d.start ?? 0).line - s.added} (${s.file})`
        : (d.file?.fileName ?? 'program');
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  assert.deepEqual(problems, []);
});
