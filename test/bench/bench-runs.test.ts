// `npm run bench` runs end to end: every section, every case and framework, with tiny slices and
// windows. Nothing here looks at a timing (speed lives in the bench's own output): only that each
// case ran and checked its result, that every HTTP request was a fresh notification whose handler
// ran, and that every target is printed with a met/short mark. the bench's modules are not imported: test/bench has
// its own tsconfig.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../support/cli-harness.js';

const MICRO = ['floor', 'verify-utf8', 'verify-gbk', 'one-call', 'forged', 'hand-utf8', 'hand-gbk', 'official'];
const STORE = ['store-below', 'store-past-max', 'store-expiry', 'run-once', 'run-handler', 'run-handler-signal'];
const FRAMEWORKS = ['koa', 'fastify', 'fetch', 'express'];

const dir = mkdtempSync(join(tmpdir(), 'alipay-notify-bench-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function bench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/bench/run.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

type Spread = { median: number; n: number };
interface BenchJson {
  micro: Record<string, { rounds: number[] }>;
  store: Record<string, { rounds: number[] }>;
  http: { pairs: { id: string; available: boolean; reqRatio: Spread; p99Ratio: Spread; adapter: Side; hand: Side }[] };
  memory: { requests: number; samples: unknown[] };
  targets: { name: string; met: boolean | undefined; ratio: Spread | undefined }[];
}
interface Side {
  rounds: { total: number }[];
  failures: number;
  handledShare: number;
}

test('the bench runs every section and prints every target with its mark', { timeout: 240_000 }, async () => {
  const json = join(dir, 'bench.json');
  const r = await bench([
    '--quick',
    '--sections=micro,store,http,memory',
    '--no-cache',
    '--no-pin',
    '--rounds=2',
    '--slice-ms=5',
    '--http-rounds=1',
    '--http-sec=0.3',
    '--http-warmup-sec=0.2',
    '--connections=4',
    '--memory-sec=2',
    '--pool=40',
    `--json=${json}`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(readFileSync(json, 'utf8')) as BenchJson;

  // Every in-process case ran in each measured round (its check passed first, or the run fails).
  assert.deepEqual(Object.keys(out.micro), MICRO);
  assert.deepEqual(Object.keys(out.store), STORE);
  for (const c of [...Object.values(out.micro), ...Object.values(out.store)]) {
    assert.equal(c.rounds.length, 2);
    for (const x of c.rounds) assert.ok(Number.isFinite(x) && x > 0);
  }

  assert.deepEqual(
    out.http.pairs.map((p) => p.id),
    FRAMEWORKS,
  );
  for (const p of out.http.pairs) {
    assert.equal(p.available, true, p.id);
    for (const s of [p.adapter, p.hand]) {
      assert.equal(s.failures, 0, `${p.id}: no failed request`);
      assert.ok(s.rounds[0]!.total > 0, `${p.id}: requests were answered`);
      // Each request a notification the handler had not seen: it ran once per answer (a request or
      // two answered after the client's window closed may count on top).
      assert.ok(s.handledShare >= 0.95, `${p.id}: the handler ran for ${s.handledShare} of the answers`);
    }
    assert.equal(p.reqRatio.n, 1);
    assert.equal(p.p99Ratio.n, 1);
  }
  assert.ok(out.memory.requests > 0);

  // 5 verification targets, 2 per framework, 2 for the store, 1 for memory: each measured and marked.
  assert.equal(out.targets.length, 5 + 2 * FRAMEWORKS.length + 2 + 1);
  for (const t of out.targets) {
    assert.equal(typeof t.met, 'boolean', t.name);
    const row = r.stdout.split('\n').find((l) => l.startsWith(`| ${t.name} |`));
    assert.ok(
      row !== undefined && (t.met ? row.includes('✓ met') : row.includes('✗ SHORT')),
      `${t.name} is printed with its mark`,
    );
  }
});
