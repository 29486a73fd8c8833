/** Starting bench children: a fresh `node --import tsx` process, pinned to one CPU when possible. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

let tasksetOk: boolean | undefined;
function canPin(): boolean {
  if (tasksetOk === undefined) {
    tasksetOk = process.platform === 'linux' && availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  }
  return tasksetOk;
}

/** Spawns a TypeScript script; `cpu` pins it with taskset when available and `pin` is on. */
export function spawnTs(script: string, args: readonly string[], opts: { cpu?: number; pin: boolean; ipc?: boolean }): ChildProcess {
  const node = [process.execPath, '--import', 'tsx', script, ...args];
  const pinned = opts.pin && opts.cpu !== undefined && canPin();
  const [cmd, ...rest] = pinned ? ['taskset', '-c', String(opts.cpu), ...node] : node;
  return spawn(cmd!, rest, { stdio: opts.ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'] });
}

/** Whether children will actually be pinned. */
export function pinning(pin: boolean): boolean {
  return pin && canPin();
}

/** Resolves with each JSON line the child prints, calling `onLine`; resolves at exit. */
export function jsonLines(child: ChildProcess, onLine: (obj: Record<string, unknown>) => void): Promise<number> {
  let buf = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line.startsWith('{')) onLine(JSON.parse(line) as Record<string, unknown>);
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}
