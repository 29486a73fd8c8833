// Starts a merchant's app (test/store/redis/express-instance.ts, test/inbox/inbox-app.ts, the README
// recipes installed from the tarball) in processes of its own and talks to it over HTTP, the way
// Alipay would, for the multi-process tests.
import { fork, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
/** A message the instance sent (see express-instance.ts). */
export interface InstanceEvent {
  readonly type: 'ready' | 'handler-start' | 'inserted' | 'handler-done' | 'error';
  readonly port?: number;
  readonly outBizNo?: string;
  readonly kind?: string;
  readonly notifyId?: string;
  readonly charset?: string;
  readonly subject?: string;
  readonly code?: string;
  readonly causeName?: string;
}

/** What Alipay would see: the reply, or a broken connection. */
export type Delivery = { readonly status: number; readonly body: string } | { readonly error: string };

export interface Instance {
  readonly name: string;
  readonly events: InstanceEvent[];
  /** POSTs a notification body with the headers Alipay sends. */
  deliver(body: Buffer): Promise<Delivery>;
  waitFor(predicate: (e: InstanceEvent) => boolean, what: string): Promise<InstanceEvent>;
  /** What the app printed, when started with `quiet` (else it went to this process's output). */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface InstanceOptions {
  /** The app's working directory (the default: this process's). */
  readonly cwd?: string;
  /** Keep what the app prints for `output()` and failure messages instead of passing it through. */
  readonly quiet?: boolean;
  /** Run `script` through tsx (default); `false` for JavaScript, without tsx's loader. */
  readonly tsx?: boolean;
}

/** Forks `script` (a file that reports over IPC, run through tsx unless told) as the app called `name`. */
export async function startInstance(
  script: string,
  name: string,
  env: Record<string, string>,
  options: InstanceOptions = {},
): Promise<Instance> {
  const child: ChildProcess = fork(script, [], {
    // tsx by its resolved location: `cwd` may be a project that does not install it.
    execArgv: options.tsx === false ? [] : ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, ...env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdio: ['ignore', options.quiet ? 'pipe' : 'inherit', options.quiet ? 'pipe' : 'inherit', 'ipc'],
  });
  let printed = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (printed += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (printed += s));
  const output = (): string => printed;
  const events: InstanceEvent[] = [];
  const waiters = new Set<() => void>();
  child.on('message', (m) => {
    events.push(m as InstanceEvent);
    for (const w of waiters) w();
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
      for (const w of waiters) w();
    }),
  );

  const said = (): string => (printed === '' ? '' : `; it printed:\n${printed}`);
  const waitFor = (predicate: (e: InstanceEvent) => boolean, what: string): Promise<InstanceEvent> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = events.find(predicate);
        if (hit) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return;
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`${name} exited while waiting for ${what}${said()}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${name}: gave up waiting for ${what}${said()}`));
      }, 20_000);
      waiters.add(check);
      check();
    });

  // An app that never gets ready is not left running.
  const ready = await waitFor((e) => e.type === 'ready', 'ready').catch(async (err: unknown) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    throw err;
  });
  const port = ready.port!;

  return {
    name,
    events,
    waitFor,
    output,
    deliver: (body) =>
      new Promise<Delivery>((resolve) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/alipay/notify',
            agent: false,
            headers: {
              'content-type': 'application/x-www-form-urlencoded; text/html; charset=UTF-8',
              'content-length': body.length,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', (err) => resolve({ error: err.message }));
          },
        );
        req.on('error', (err) => resolve({ error: err.message }));
        req.end(body);
      }),
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The number of times the handlers started for one refund, across instances. */
export function handlerStarts(instances: readonly Instance[], outBizNo: string): number {
  return instances.reduce(
    (n, i) => n + i.events.filter((e) => e.type === 'handler-start' && e.outBizNo === outBizNo).length,
    0,
  );
}
