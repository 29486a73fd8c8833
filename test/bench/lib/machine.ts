/** The machine a run happened on, for the report. */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { pinning } from './spawn.js';

export interface Machine {
  node: string;
  v8: string;
  openssl: string;
  cpu: string;
  cpus: number;
  memGiB: number;
  platform: string;
  loadAvgAtStart: number[];
  /** Where the bench's processes ran (taskset), or why they could not be pinned. */
  pinning: string;
}

export function machine(pin: boolean): Machine {
  const lscpu = process.platform === 'linux' ? (spawnSync('lscpu', { encoding: 'utf8' }).stdout ?? '') : '';
  const model = /Model name:\s*(.+)/.exec(lscpu)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const hyper = /Hypervisor vendor:\s*(.+)/.exec(lscpu)?.[1]?.trim();
  return {
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl ?? '',
    cpu: hyper === undefined ? model : `${model} (${hyper} guest)`,
    cpus: availableParallelism(),
    memGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    loadAvgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    pinning: pinning(pin),
  };
}
