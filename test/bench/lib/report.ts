/** The report: targets of issue 7 evaluated on one run's figures, the table, and the JSON shape. */
import { ADAPTERS, type HttpResult, type MemoryResult } from '../http/run-http.js';
import type { MicroResult } from '../micro/run-micro.js';
import type { Machine } from './machine.js';

export interface Target {
  name: string;
  ratio: number | undefined;
  target: string;
  pass: boolean | undefined;
  note?: string;
}

export interface Report {
  startedAt: string;
  machine: Machine;
  args: Record<string, unknown>;
  fixture: Record<string, number>;
  micro: Record<string, MicroResult>;
  http: Record<string, HttpResult>;
  memory: MemoryResult | undefined;
  targets: Target[];
  durationSec: number;
}

const div = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);

function check(name: string, ratio: number | undefined, op: '>=' | '<=' | '<', limit: number, unit = '×'): Target {
  const target = `${op} ${limit}${unit}`;
  if (ratio === undefined) return { name, ratio, target, pass: undefined, note: 'not measured' };
  const pass = op === '>=' ? ratio >= limit : op === '<=' ? ratio <= limit : ratio < limit;
  return { name, ratio, target, pass };
}

export function evaluate(r: Report): Target[] {
  const m = (id: string) => r.micro[id]?.opsPerSec;
  const t: Target[] = [];
  if (Object.keys(r.micro).length > 0) {
    t.push(check('core UTF-8 / crypto.verify floor', div(m('core-utf8'), m('floor')), '>=', 0.5));
    t.push(check('core GBK / crypto.verify floor', div(m('core-gbk'), m('floor')), '>=', 0.4));
    t.push(check('core UTF-8 / official alipay-sdk', div(m('core-utf8'), m('official')), '>=', 8));
  }
  const bare = r.http['bare'];
  if (Object.keys(r.http).length > 0) {
    for (const a of ADAPTERS) {
      const x = r.http[a];
      if (x === undefined) continue;
      if (!x.available) {
        t.push({ name: `${a} adapter`, ratio: undefined, target: '', pass: undefined, note: `not available: ${x.error}` });
        continue;
      }
      t.push(check(`${a} adapter req/s / bare node:http`, div(x.reqPerSec, bare?.reqPerSec), '>=', 0.8));
      t.push(check(`${a} adapter p99 / bare node:http`, div(x.p99, bare?.p99), '<=', 1.5));
      // Not a target of issue 7, but what the adapter itself costs: the same framework, same load,
      // with the hand-written verification instead of the adapter.
      const hand = r.http[`${a}-hand`];
      if (hand?.available) {
        t.push({ name: `(info) ${a} adapter req/s / ${a} by hand`, ratio: div(x.reqPerSec, hand.reqPerSec), target: '', pass: undefined, note: 'framework cost excluded' });
      }
    }
  }
  if (r.memory !== undefined) t.push(check(`RSS growth after warm-up (${r.memory.mode})`, r.memory.growth, '<', 0.1, ''));
  return t;
}

const k = (x: number | undefined) => (x === undefined ? '—' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const f2 = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2));

const MICRO_LABEL: Record<string, string> = {
  floor: 'crypto.verify, cached KeyObject, prebuilt buffers (floor)',
  'core-utf8': 'verifyRefundNotify, UTF-8 body',
  'core-gbk': 'verifyRefundNotify, GBK body',
  'hand-utf8': 'best by hand, UTF-8 (PERF.md e1)',
  'hand-gbk': 'best by hand, GBK, byte-level (PERF.md e6)',
  official: 'alipay-sdk checkNotifySign(qs.parse(body))',
  'hand-utf8-async': 'by hand, callback crypto.verify, 64 in flight',
  'core-parse': 'core stage: parseNotifyBody (UTF-8)',
  'core-content': 'core stage: buildSignContent',
  'core-map': 'core stage: toNotification',
  'hand-parse': 'hand split parser (UTF-8)',
};

/** Markdown tables, so that the output can be pasted into the README as is. */
export function printReport(r: Report): void {
  const m = r.machine;
  console.log(`\n## alipay-refund-notify bench — ${r.startedAt}`);
  console.log(`${m.cpu}, ${m.cpus} CPUs, ${m.memGiB} GiB; Node ${m.node} (V8 ${m.v8}, OpenSSL ${m.openssl}); ${m.platform}; pinned: ${m.pinned}; load avg at start ${m.loadAvgAtStart.join(' ')}`);
  console.log(`fixture: ${r.fixture['fields']} fields, RSA2 2048-bit, UTF-8 body ${r.fixture['utf8Bytes']} B, GBK body ${r.fixture['gbkBytes']} B`);
  const floor = r.micro['floor']?.opsPerSec;
  if (Object.keys(r.micro).length > 0) {
    console.log('\n| single core | ops/s | µs/op | × floor |\n|---|---:|---:|---:|');
    for (const [id, x] of Object.entries(r.micro)) {
      console.log(`| ${MICRO_LABEL[id] ?? id} | ${k(x.opsPerSec)} | ${x.usPerOp.toFixed(1)} | ${f2(div(x.opsPerSec, floor))} |`);
    }
  }
  const bare = r.http['bare'];
  if (Object.keys(r.http).length > 0) {
    console.log(`\n| HTTP, loopback, ${String(r.args['connections'])} connections | req/s | × bare | p50 ms | p99 ms | p99 × bare | × same framework by hand | server CPU µs/req | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
    for (const [mode, x] of Object.entries(r.http)) {
      if (!x.available) {
        console.log(`| ${mode} | not available | | | | | | | |`);
        continue;
      }
      const errs = (x.non2xx ?? 0) + (x.errors ?? 0) + (x.timeouts ?? 0);
      console.log(
        `| ${mode} | ${k(x.reqPerSec)} | ${f2(div(x.reqPerSec, bare?.reqPerSec))} | ${x.p50} | ${x.p99} | ${f2(div(x.p99, bare?.p99))} | ${f2(div(x.reqPerSec, r.http[`${mode}-hand`]?.reqPerSec))} | ${k(x.serverCpuUsPerReq)} | ${errs} |`,
      );
    }
  }
  if (r.memory !== undefined) {
    const x = r.memory;
    console.log(
      `\nmemory (${x.mode} adapter, ${x.durationSec} s, ${x.requests.toLocaleString('en-US')} requests: 60% valid (distinct until the ${r.fixture['pool']}-body pool wraps), 20% forged, 20% duplicates; warm-up ${x.warmupSec} s):` +
        ` RSS ${x.rssAfterWarmupMiB} → ${x.rssEndMiB} MiB (max ${x.rssMaxMiB}), growth ${(x.growth * 100).toFixed(1)}%; heap ${x.heapAfterWarmupMiB} → ${x.heapEndMiB} MiB`,
    );
  }
  console.log('\n| target | measured | goal | |\n|---|---:|---:|---|');
  for (const t of r.targets) {
    const val = t.ratio === undefined ? '—' : t.target === '' || t.target.endsWith('×') ? `${t.ratio.toFixed(2)}×` : `${(t.ratio * 100).toFixed(1)}%`;
    const goal = t.target.endsWith('×') ? t.target : t.target.replace(/([0-9.]+)$/, (n) => `${Number(n) * 100}%`);
    console.log(`| ${t.name} | ${val} | ${goal} | ${t.pass === undefined ? (t.note ?? '') : t.pass ? 'met' : '**missed**'} |`);
  }
  console.log(`\n(${r.durationSec} s)`);
}
