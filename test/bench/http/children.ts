/** The HTTP run's child processes: servers (pinned to CPU 0) and the one load client (CPU 1), over IPC. */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTs } from '../lib/spawn.js';
import type { LoadRequest, LoadResult } from './load.js';

export interface ServerStats {
  cpu: NodeJS.CpuUsage;
  mem: NodeJS.MemoryUsage;
  handled: number;
  errors: number;
}

export interface MemorySample {
  t: number;
  rss: number;
  heapUsed: number;
}

type Msg = {
  port?: number;
  error?: string;
  stats?: ServerStats;
  samples?: MemorySample[];
  result?: LoadResult;
  ready?: true;
};

/** A child that answers IPC messages; `ask` sends one and resolves with the first reply carrying `key`. */
class IpcChild {
  private waiters: ((m: Msg) => boolean)[] = [];
  constructor(readonly child: ChildProcess) {
    child.stdout?.resume();
    child.on('message', (m: Msg) => {
      this.waiters = this.waiters.filter((w) => !w(m));
    });
  }

  ask(key: keyof Msg, message?: unknown): Promise<Msg> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`bench child exited while waiting for ${key}`));
      this.child.once('exit', onExit);
      this.waiters.push((m) => {
        if (m[key] === undefined && m.error === undefined) return false;
        this.child.off('exit', onExit);
        resolve(m);
        return true;
      });
      if (message !== undefined) this.child.send(message as never);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send('exit');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

export class ServerChild extends IpcChild {
  static start(here: string, mode: string, fixturePath: string, storeEntries: number, pin: boolean): ServerChild {
    return new ServerChild(
      spawnTs(join(here, 'http', 'server.ts'), [mode, fixturePath, String(storeEntries)], { cpu: 0, pin, ipc: true }),
    );
  }

  /** Resolves with the port, or undefined and the reason when the server could not start. */
  async ready(): Promise<{ port?: number; error?: string }> {
    const m = await this.ask('port');
    return m.error !== undefined
      ? { error: m.error.split('\n')[0]!.replace(/'[^']*\/(src\/[^']+)'/, '$1') }
      : { port: m.port! };
  }

  async stats(): Promise<ServerStats> {
    return (await this.ask('stats', 'stats')).stats!;
  }

  async samples(): Promise<MemorySample[]> {
    return (await this.ask('samples', 'samples')).samples!;
  }
}

export class LoadClient extends IpcChild {
  static async start(here: string, fixturePath: string, pin: boolean): Promise<LoadClient> {
    const c = new LoadClient(spawnTs(join(here, 'http', 'load.ts'), [fixturePath], { cpu: 1, pin, ipc: true }));
    await c.ask('ready');
    return c;
  }

  async load(req: LoadRequest): Promise<LoadResult> {
    const m = await this.ask('result', req);
    if (m.error !== undefined) throw new Error(`load client: ${m.error}`);
    return m.result!;
  }
}
