/** The targets evaluated on one run's figures, the printed tables, and the JSON shape. */
import type { HttpResult } from '../http/run-http.js';
import { MAX_P99_RATIO } from '../http/run-http.js';
import type { MemoryResult } from '../http/run-memory.js';
import type { SuiteResult } from '../micro/run-micro.js';
import type { Machine } from './machine.js';
import { ratioSpread, type Spread } from './stats.js';

export interface Target {
  name: string;
  /** The measured ratio: median and spread over rounds (one ratio per round). */
  ratio: Spread | undefined;
  op: '>=' | '<=';
  goal: number;
  /** met: the median is at or past the goal. */
  met: boolean | undefined;
  note?: string;
}

export interface Report {
  startedAt: string;
  machine: Machine;
  args: Record<string, unknown>;
  fixture: Record<string, number | boolean>;
  micro: SuiteResult;
  store: SuiteResult;
  http: HttpResult | undefined;
  memory: MemoryResult | undefined;
  targets: Target[];
  info: Target[];
  durationSec: number;
}

function target(name: string, ratio: Spread | undefined, op: '>=' | '<=', goal: number, note?: string): Target {
  if (ratio === undefined || !Number.isFinite(ratio.median))
    return { name, ratio: undefined, op, goal, met: undefined, note: note ?? 'not measured' };
  return {
    name,
    ratio,
    op,
    goal,
    met: op === '>=' ? ratio.median >= goal : ratio.median <= goal,
    ...(note === undefined ? {} : { note }),
  };
}

function suiteRatio(s: SuiteResult, a: string, b: string, invert = false): Spread | undefined {
  const x = s[a];
  const y = s[b];
  if (x === undefined || y === undefined) return undefined;
  return invert ? ratioSpread(y.rounds, x.rounds) : ratioSpread(x.rounds, y.rounds);
}

/** The issue's targets, in the order they are printed. */
export function evaluate(r: Report): { targets: Target[]; info: Target[] } {
  const t: Target[] = [];
  const info: Target[] = [];
  const m = r.micro;
  if (Object.keys(m).length > 0) {
    t.push(target('verifier.verify UTF-8 ÷ crypto.verify floor', suiteRatio(m, 'verify-utf8', 'floor'), '>=', 0.6));
    t.push(target('verifier.verify GBK ÷ crypto.verify floor', suiteRatio(m, 'verify-gbk', 'floor'), '>=', 0.6));
    t.push(target('one-call verifyRefundNotify ÷ floor', suiteRatio(m, 'one-call', 'floor'), '>=', 0.55));
    t.push(target('forged notification rejected ÷ floor', suiteRatio(m, 'forged', 'floor'), '>=', 0.5));
    t.push(target('verifier.verify UTF-8 ÷ official alipay-sdk', suiteRatio(m, 'verify-utf8', 'official'), '>=', 10));
    info.push(target('verifier.verify UTF-8 ÷ hand-written UTF-8', suiteRatio(m, 'verify-utf8', 'hand-utf8'), '>=', 1));
    info.push(target('verifier.verify GBK ÷ hand-written GBK', suiteRatio(m, 'verify-gbk', 'hand-gbk'), '>=', 1));
    info.push(target('hand-written UTF-8 ÷ floor', suiteRatio(m, 'hand-utf8', 'floor'), '>=', 0));
  }
  if (r.http !== undefined) {
    for (const p of r.http.pairs) {
      const fw = p.label;
      if (!p.available) {
        t.push(target(`${fw}: adapter ÷ hand-written, req/s`, undefined, '>=', 0, `not available: ${p.error}`));
        continue;
      }
      const goal = p.id === 'express' ? 0.85 : 0.9;
      const fails = p.adapter!.failures + p.hand!.failures;
      const note = fails > 0 ? `${fails} failed requests` : undefined;
      t.push(target(`${fw}: adapter ÷ hand-written, req/s`, p.reqRatio, '>=', goal, note));
      t.push(target(`${fw}: adapter ÷ hand-written, p99 latency`, p.p99Ratio, '<=', MAX_P99_RATIO, note));
    }
  }
  const s = r.store;
  if (Object.keys(s).length > 0) {
    // Cost per fresh notification, as a multiple of the cost below maxEntries ("constant": ≤ 1.5×).
    t.push(
      target(
        'memory store past maxEntries ÷ below it, µs per fresh notification',
        suiteRatio(s, 'store-past-max', 'store-below', true),
        '<=',
        1.5,
      ),
    );
    t.push(
      target(
        'memory store with entries expiring ÷ below maxEntries',
        suiteRatio(s, 'store-expiry', 'store-below', true),
        '<=',
        1.5,
      ),
    );
  }
  if (r.memory !== undefined) {
    const g = r.memory.growth;
    t.push(
      target(
        `RSS growth after warm-up (${r.memory.mode}, ${r.memory.durationSec} s)`,
        { median: g, min: g, max: g, q1: g, q3: g, n: 1 },
        '<=',
        0.1,
      ),
    );
  }
  return { targets: t, info };
}

const k = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);
const f2 = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
const range = (s: Spread) => `${f2(s.min)}–${f2(s.max)}`;

function ratioCell(t: Target): string {
  if (t.ratio === undefined) return '—';
  return t.name.startsWith('RSS') ? `${(t.ratio.median * 100).toFixed(1)}%` : `${f2(t.ratio.median)}×`;
}

function spreadCell(t: Target): string {
  if (t.ratio === undefined || t.ratio.n <= 1) return '';
  return `${range(t.ratio)} (IQR ${f2(t.ratio.q1)}–${f2(t.ratio.q3)}, n=${t.ratio.n})`;
}

function goalCell(t: Target): string {
  const g = t.name.startsWith('RSS') ? `${t.goal * 100}%` : `${t.goal}×`;
  return `${t.op === '>=' ? '≥' : '≤'} ${g}`;
}

function mark(t: Target): string {
  const m = t.met === undefined ? '' : t.met ? '✓ met' : '✗ SHORT';
  return t.note === undefined ? m : `${m}${m === '' ? '' : ' — '}${t.note}`;
}

function suiteTable(title: string, s: SuiteResult, base: string | undefined): void {
  if (Object.keys(s).length === 0) return;
  const b = base === undefined ? undefined : s[base];
  console.log(
    `\n| ${title} | ops/s (median) | µs/op | rounds min–max ops/s |${b ? ' × floor |' : ''}\n|---|---:|---:|---:|${b ? '---:|' : ''}`,
  );
  for (const [id, x] of Object.entries(s)) {
    const ratio = b === undefined ? '' : ` ${f2(ratioSpread(x.rounds, b.rounds).median)} |`;
    console.log(
      `| ${x.label} \`${id}\` | ${k(x.opsPerSec.median)} | ${x.usPerOp.toFixed(2)} | ${k(x.opsPerSec.min)}–${k(x.opsPerSec.max)} |${ratio}`,
    );
  }
}

/** Markdown tables, so that the output can be pasted into the README as is. */
export function printReport(r: Report): void {
  const m = r.machine;
  console.log(`\n## alipay-refund-notify bench — ${r.startedAt}`);
  console.log(
    `${m.cpu}, ${m.cpus} CPUs, ${m.memGiB} GiB; Node ${m.node} (V8 ${m.v8}, OpenSSL ${m.openssl}); ${m.platform}; load avg at start ${m.loadAvgAtStart.join(' ')}`,
  );
  console.log(`pinning: ${m.pinning}`);
  console.log(
    `fixture: ${r.fixture['fields']} fields, RSA2 2048-bit, UTF-8 body ${r.fixture['utf8Bytes']} B, GBK body ${r.fixture['gbkBytes']} B; ${r.fixture['pool']} distinct pre-signed notifications${r.fixture['reused'] ? ' (reused from .bench/)' : ''}`,
  );
  const a = r.args;
  if (Object.keys(r.micro).length > 0 || Object.keys(r.store).length > 0) {
    console.log(
      `in-process cases: all in one process per table, interleaved in ${String(a['sliceMs'])} ms slices, ${String(a['rounds'])} measured rounds; ratios are taken round by round`,
    );
  }
  suiteTable('single core, one process', r.micro, 'floor');
  suiteTable('around the handler, per fresh notification', r.store, undefined);
  const once = r.store['run-once'];
  const past = r.store['store-past-max'];
  if (once !== undefined && past !== undefined) {
    console.log(
      `\nrunOnce's own cost per fresh notification (run-once − store-past-max, medians): ${(once.usPerOp - past.usPerOp).toFixed(2)} µs`,
    );
  }
  const h = r.http;
  if (h !== undefined && h.pairs.length > 0) {
    console.log(
      `\nHTTP, loopback: ${h.connections} connections, one client for every server; per framework the adapter and the hand-written server alternate, ${h.rounds} rounds of ${h.windowSec} s each after ${h.warmupSec} s of warm-up;` +
        ` every request a fresh notification (${h.pool} pre-signed notify_ids in turn, the adapter's memory store bounded to ${h.storeEntries} so each is forgotten before it returns; "handler ran" counts the handler's runs per 2xx answer)`,
    );
    console.log(
      '\n| server | req/s (median, min–max) | p50 ms | p99 ms (median, min–max) | server CPU µs/req | handler ran | failed |\n|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const p of h.pairs) {
      if (!p.available) {
        console.log(`| ${p.label} | not available | | | | | |`);
        continue;
      }
      for (const s of [p.adapter!, p.hand!]) {
        const p50 = s.rounds.map((w) => w.p50).sort((x, y) => x - y)[s.rounds.length >> 1]!;
        console.log(
          `| ${p.label}, ${s.mode.endsWith('-hand') ? 'hand-written' : 'adapter'} | ${k(s.reqPerSec.median)} (${k(s.reqPerSec.min)}–${k(s.reqPerSec.max)}) | ${p50.toFixed(2)} | ${s.p99.median.toFixed(2)} (${s.p99.min.toFixed(2)}–${s.p99.max.toFixed(2)}) | ${k(s.cpuUsPerReq)} | ${(s.handledShare * 100).toFixed(0)}% | ${s.failures} |`,
        );
      }
    }
  }
  if (r.memory !== undefined) {
    const x = r.memory;
    console.log(
      `\nmemory (${x.mode} adapter, default store, ${x.durationSec} s, ${x.requests.toLocaleString('en-US')} requests: 60% valid (distinct until the ${r.fixture['pool']}-body pool wraps), 20% forged, 20% duplicates; warm-up ${x.warmupSec} s):` +
        ` RSS ${x.rssAfterWarmupMiB} → ${x.rssEndMiB} MiB (max ${x.rssMaxMiB}), growth ${(x.growth * 100).toFixed(1)}%; heap ${x.heapAfterWarmupMiB} → ${x.heapEndMiB} MiB`,
    );
  }
  console.log('\n| target | median | spread over rounds: min–max | goal | |\n|---|---:|---|---:|---|');
  for (const t of r.targets)
    console.log(`| ${t.name} | ${ratioCell(t)} | ${spreadCell(t)} | ${goalCell(t)} | ${mark(t)} |`);
  if (r.info.length > 0) {
    console.log('\n| for information | median | spread over rounds: min–max |\n|---|---:|---|');
    for (const t of r.info) console.log(`| ${t.name} | ${ratioCell(t)} | ${spreadCell(t)} |`);
  }
  const met = r.targets.filter((t) => t.met === true).length;
  const short = r.targets.filter((t) => t.met === false).length;
  console.log(
    `\ntargets: ${met} met, ${short} short${r.targets.length - met - short > 0 ? `, ${r.targets.length - met - short} not measured` : ''} (${r.durationSec} s)`,
  );
}
