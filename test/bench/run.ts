/**
 * `npm run bench`: the verifier against the `crypto.verify` floor, a hand-written verifier and the
 * official SDK (one process, interleaved rounds); the memory store and runOnce per fresh
 * notification; each framework with our adapter against the same framework with the hand-written
 * verifier over HTTP (alternating rounds, one client); resident memory under a mixed load.
 * Every ratio is printed with its spread over rounds and its goal. Writes JSON under `.bench/`
 * (git-ignored). `--quick` (or BENCH_QUICK=1) is a sub-minute smoke; `--help` lists the options.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.js';
import { loadOrMakeFixtures, writeFixtures } from './lib/fixtures.js';
import { machine } from './lib/machine.js';
import { evaluate, printReport, type Report } from './lib/report.js';
import { runHttp } from './http/run-http.js';
import { runMemory } from './http/run-memory.js';
import { runSuite } from './micro/run-micro.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = parseArgs(process.argv.slice(2));

const work = mkdtempSync(join(tmpdir(), 'alipay-refund-notify-bench-'));
const fixturePath = join(work, 'fixtures.json');
try {
  const t0 = Date.now();
  process.stderr.write(`fixtures (${args.pool} notifications)… `);
  const { fixtures, reused } = loadOrMakeFixtures(
    args.pool,
    args.cache ? join(root, '.bench', 'fixtures.json') : undefined,
  );
  writeFixtures(fixturePath, fixtures);
  process.stderr.write(
    `${reused ? 'reused' : 'signed'}: ${fixtures.fieldCount} fields, UTF-8 body ${fixtures.utf8Body.length} B, GBK body ${fixtures.gbkBody.length} B\n`,
  );

  const report: Report = {
    startedAt: new Date().toISOString(),
    machine: machine(args.pin),
    args: { ...args, sections: [...args.sections] },
    fixture: {
      fields: fixtures.fieldCount,
      utf8Bytes: fixtures.utf8Body.length,
      gbkBytes: fixtures.gbkBody.length,
      pool: fixtures.pool.length,
      reused,
    },
    micro: {},
    store: {},
    http: undefined,
    memory: undefined,
    targets: [],
    info: [],
    durationSec: 0,
  };
  if (args.sections.has('micro')) report.micro = await runSuite(here, 'micro', fixturePath, args);
  if (args.sections.has('store')) report.store = await runSuite(here, 'store', fixturePath, args);
  if (args.sections.has('http')) report.http = await runHttp(here, fixturePath, fixtures.pool.length, args);
  if (args.sections.has('memory')) report.memory = await runMemory(here, fixturePath, args);
  Object.assign(report, evaluate(report));
  report.durationSec = Math.round((Date.now() - t0) / 1000);
  printReport(report);

  const out = args.json ?? join(root, '.bench', `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nJSON: ${relative(process.cwd(), out) || out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
