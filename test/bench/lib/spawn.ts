/** Starting bench children: a fresh `node --import tsx` process, pinned to one CPU when possible. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

let pinProblem: string | null | undefined;
/** Why children cannot be pinned, or null when they can. */
function pinBlocker(): string | null {
  if (pinProblem === undefined) {
    if (process.platform !== 'linux') pinProblem = `taskset is Linux-only (this is ${process.platform})`;
    else if (availableParallelism() < 2) pinProblem = 'only one CPU available';
    else if (spawnSync('taskset', ['-c', '0', 'true']).status !== 0) pinProblem = 'taskset not found or not permitted';
    else pinProblem = null;
  }
  return pinProblem;
}

/** Spawns a TypeScript script; `cpu` pins it with taskset when available and `pin` is on. */
export function spawnTs(
  script: string,
  args: readonly string[],
  opts: { cpu?: number; pin: boolean; ipc?: boolean },
): ChildProcess {
  const node = [process.execPath, '--import', 'tsx', script, ...args];
  const pinned = opts.pin && opts.cpu !== undefined && pinBlocker() === null;
  const [cmd, ...rest] = pinned ? ['taskset', '-c', String(opts.cpu), ...node] : node;
  return spawn(cmd!, rest, { stdio: opts.ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'] });
}

/** How children are placed, for the report. */
export function pinning(pin: boolean): string {
  if (!pin) return 'off (--no-pin): processes float over all CPUs';
  const why = pinBlocker();
  return why === null
    ? 'taskset: in-process cases and the HTTP client on CPU 1, HTTP servers on CPU 0'
    : `NOT pinned (${why}): processes float over all CPUs, ratios are noisier`;
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
