// The test command (`npm test`): runs every test/**/*.test.ts with node's test runner through tsx,
// measures the coverage of src/ and ends with the plain line `N passed, N failed, N skipped`.
// Node 20's --test takes no globs, so the files are listed here. It does not build: `npm test`
// builds first; `npm run test:quick` is this script alone. Most tests import src/ through tsx and
// need no build; those that load the package by name (exports, examples, runtimes) read dist/.
//
//   node test/run.mjs                                  whole suite, with the coverage gate (≥ 95% of lines and branches)
//   node test/run.mjs test/verifier/verify-notify.test.ts one file; no coverage
//   node test/run.mjs verifier cli                     only files whose path contains `verifier` or `cli`; no coverage
//   node test/run.mjs --coverage cli                   the same with a coverage report, but no gate (a subset cannot meet it)
//   node test/run.mjs --no-coverage                    whole suite without coverage
//
// Coverage is V8's own (NODE_V8_COVERAGE), so every process a test starts counts too: HTTP servers,
// the CLI, the Redis test instances started with `--import tsx`; source maps lead back to src/*.ts
// (test/support/coverage.mjs counts it). A failed gate is one more failed test in the closing line,
// which this script prints itself after the coverage report: the reporter writes its counts to the
// file named by ALIPAY_NOTIFY_TEST_COUNTS instead of printing them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { THRESHOLD, describeCoverage, measureSrc } from './support/coverage.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const wholeSuite = filters.length === 0;
const coverage = !args.includes('--no-coverage') && (wholeSuite || args.includes('--coverage'));
const gate = coverage && wholeSuite;

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => wholeSuite || filters.some((x) => f.includes(x)))
  .sort();

const work = mkdtempSync(join(tmpdir(), 'alipay-notify-test-'));
const v8Dir = join(work, 'v8');
const countsFile = join(work, 'counts.json');
const env = { ...process.env, ALIPAY_NOTIFY_TEST_COUNTS: countsFile };
delete env.NODE_V8_COVERAGE; // an outer coverage run must not collect ours, nor we its
if (coverage) {
  mkdirSync(v8Dir);
  env.NODE_V8_COVERAGE = v8Dir;
}

let code;
try {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter', './test/support/reporter.mjs', ...files],
    { cwd: root, stdio: 'inherit', env },
  );
  // No counts means the runner itself died: a failure, whatever the tests said.
  const counts = existsSync(countsFile)
    ? JSON.parse(readFileSync(countsFile, 'utf8'))
    : { passed: 0, failed: 1, skipped: 0 };
  let ok = result.status === 0 && counts.failed === 0;
  if (coverage) {
    const started = Date.now();
    const { met, text } = describeCoverage(root, await measureSrc(root, [v8Dir], work), (Date.now() - started) / 1000);
    console.log(`\n${text}`);
    if (!gate) console.log('  (part of the suite ran: no coverage gate)');
    else if (!met) {
      console.log(
        `\n✖ FAILED: coverage gate: src/ needs at least ${THRESHOLD.lines}% of lines and ${THRESHOLD.branches}% of branches run by the tests`,
      );
      counts.failed++;
      ok = false;
    }
  }
  console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  code = ok ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(code);
