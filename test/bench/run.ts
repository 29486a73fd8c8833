/**
 * `npm run bench` (issue 7): single-core verification against the crypto floor and the official
 * SDK, every adapter under load against a bare node:http server, and resident memory over a run of
 * mixed notifications. Prints a table and writes JSON under `.bench/` (git-ignored).
 * Method and anchors: PERF.md. Run `node --import tsx test/bench/run.ts --help` for options.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.js';
import { makeFixtures, writeFixtures } from './lib/fixtures.js';
import { machine } from './lib/machine.js';
import { evaluate, printReport, type Report } from './lib/report.js';
import { runHttp, runMemory } from './http/run-http.js';
import { runMicro } from './micro/run-micro.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = parseArgs(process.argv.slice(2));

const work = mkdtempSync(join(tmpdir(), 'alipay-refund-notify-bench-'));
const fixturePath = join(work, 'fixtures.json');
try {
  const t0 = Date.now();
  process.stderr.write('signing fixtures… ');
  const fixtures = makeFixtures(args.quick ? 400 : 2000);
  writeFixtures(fixturePath, fixtures);
  process.stderr.write(`${fixtures.fieldCount} fields, UTF-8 body ${fixtures.utf8Body.length} B, GBK body ${fixtures.gbkBody.length} B, pool ${fixtures.pool.length}\n`);

  const report: Report = {
    startedAt: new Date().toISOString(),
    machine: machine(args.pin),
    args: { ...args, sections: [...args.sections] },
    fixture: { fields: fixtures.fieldCount, utf8Bytes: fixtures.utf8Body.length, gbkBytes: fixtures.gbkBody.length, pool: fixtures.pool.length },
    micro: {},
    http: {},
    memory: undefined,
    targets: [],
    durationSec: 0,
  };
  if (args.sections.has('micro')) report.micro = await runMicro(here, fixturePath, args);
  if (args.sections.has('http')) report.http = await runHttp(here, fixturePath, args);
  if (args.sections.has('memory')) report.memory = await runMemory(here, fixturePath, args);
  report.targets = evaluate(report);
  report.durationSec = Math.round((Date.now() - t0) / 1000);
  printReport(report);

  const out = args.json ?? join(root, '.bench', `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nJSON: ${relative(process.cwd(), out) || out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
