/**
 * One server in a fresh process (pinned by the parent): `server.ts <mode> <fixtures.json> <storeEntries>`.
 * Talks to the parent over IPC: sends `{ port }` once listening (or `{ error }`), answers
 * `'stats'` with CPU time, memory and its counters, and samples memory every second for the memory run.
 */
import type { AddressInfo } from 'node:net';
import { readFixtures } from '../lib/fixtures.js';
import { APPS, counters } from './apps.js';

const [mode, fixturePath, storeEntries] = process.argv.slice(2);
const send = (m: unknown) => process.send!(m);
const samples: { t: number; rss: number; heapUsed: number; external: number }[] = [];
const t0 = Date.now();
setInterval(() => {
  const m = process.memoryUsage();
  samples.push({ t: Date.now() - t0, rss: m.rss, heapUsed: m.heapUsed, external: m.external });
}, 1000).unref();

try {
  const make = APPS[mode!];
  if (make === undefined) throw new Error(`unknown server mode ${mode}`);
  const server = await make(readFixtures(fixturePath!), Number(storeEntries ?? 0));
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => send({ port: (server.address() as AddressInfo).port }));
  process.on('message', (msg) => {
    if (msg === 'stats') send({ stats: { cpu: process.cpuUsage(), mem: process.memoryUsage(), ...counters } });
    else if (msg === 'samples') send({ samples });
    else if (msg === 'exit') {
      server.closeAllConnections?.();
      server.close(() => process.exit(0));
    }
  });
} catch (err) {
  send({ error: String((err as Error)?.stack ?? err) });
  process.exit(0);
}
