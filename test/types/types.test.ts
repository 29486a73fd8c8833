// The tests type-check: the repo's tsc on test/tsconfig.json (strict; every test
// file plus the type-level assertions in public-types.test-d.ts, never run), and a control that
// each `@ts-expect-error` there stands on exactly the error it claims.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const typeTests = join(root, 'test', 'types', 'public-types.test-d.ts');

function run(args: string[]): { status: number; output: string } {
  try {
    return { status: 0, output: execFileSync(process.execPath, [tsc, ...args], { cwd: root, encoding: 'utf8' }) };
  } catch (err) {
    const e = err as { status: number | null; stdout?: string; stderr?: string };
    return { status: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

test('every test file and the public type assertions type-check under test/tsconfig.json (strict)', () => {
  // --listFiles checks and also names every file in the program.
  const checked = run(['-p', 'test/tsconfig.json', '--listFiles']);
  const files = checked.output.split('\n').map((f) => f.replace(/\\/g, '/'));
  assert.ok(
    files.some((f) => f.endsWith('test/types/public-types.test-d.ts')),
    `public-types.test-d.ts is in the program:\n${checked.output}`,
  );
  assert.ok(
    files.some((f) => f.endsWith('test/verifier/verify-notify.test.ts')),
    'the test files are in the program',
  );
  assert.ok(!files.some((f) => f.includes('/test/bench/')), 'test/bench has its own tsconfig');
  const errors = checked.output.split('\n').filter((l) => !isAbsolute(l));
  assert.equal(checked.status, 0, `tsc -p test/tsconfig.json failed:\n${errors.join('\n')}`);
});

test('each @ts-expect-error in public-types.test-d.ts marks a real error on its own line, and only there', () => {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'test', 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  assert.ok(config, 'test/tsconfig.json parses');
  const original = readFileSync(typeTests, 'utf8');
  const lines = original.split('\n');
  const expected = lines.flatMap((line, i) => (/^\s*\/\/ @ts-expect-error\b/.test(line) ? [i + 1] : []));
  assert.ok(expected.length >= 20, `found ${expected.length} @ts-expect-error assertions`);

  // The same file with the directives blanked (line numbers kept), compiled in memory.
  const stripped = lines.map((line) => (/^\s*\/\/ @ts-expect-error\b/.test(line) ? '' : line)).join('\n');
  const host = ts.createCompilerHost(config.options);
  const same = (f: string) => ts.sys.resolvePath(f) === ts.sys.resolvePath(typeTests);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) =>
    same(f) ? ts.createSourceFile(f, stripped, lang) : getSourceFile(f, lang, ...rest);
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => (same(f) ? stripped : readFile(f));
  const program = ts.createProgram({ rootNames: [typeTests], options: config.options, host });
  const diagnostics = ts.getPreEmitDiagnostics(program);

  const errorLines = new Set<number>();
  for (const d of diagnostics) {
    assert.ok(
      d.file && same(d.file.fileName),
      `unexpected error outside the file: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
    errorLines.add(d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1);
  }
  // A directive covers the line after it.
  assert.deepEqual(
    [...errorLines].sort((a, b) => a - b),
    expected.map((l) => l + 1),
  );
});
