// Starts a server in another runtime as a child process and stops it again, by its own pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';

export interface ChildServer {
  url: string;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000; // the machine is shared and loaded: be generous

/** A free loopback port, for servers that cannot be told to pick one (workerd). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Runs `command args` and resolves once the server answers: on the port it prints as
 * `listening on <port>`, or on `port` when given (polled with GET `readyPath`, default /handled).
 */
export async function startChildServer(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; port?: number; readyPath?: string },
): Promise<ChildServer> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (text += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (text += s));
  const server: ChildServer = { url: '', output: () => text, close: () => stop(child) };
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${command} exited (${child.exitCode ?? child.signalCode})`);
      const printed = /listening on (\d+)/.exec(text)?.[1];
      const port = options.port ?? (printed === undefined ? undefined : Number(printed));
      if (port !== undefined) {
        const url = `http://127.0.0.1:${port}`;
        const ready = await fetch(`${url}${options.readyPath ?? '/handled'}`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) return { ...server, url };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${command} did not start within ${START_TIMEOUT_MS} ms`);
  } catch (err) {
    await stop(child);
    throw new Error(`${(err as Error).message}; it printed:\n${text}`, { cause: err });
  }
}
