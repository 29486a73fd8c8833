// Real HTTP requests to a server on the loopback interface, with the exact headers Alipay sends
// (PROTOCOL §1.1: a malformed Content-Type and `Mozilla/4.0`).
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export const ALIPAY_CONTENT_TYPE = 'application/x-www-form-urlencoded; text/html; charset=UTF-8';
export const NOTIFY_PATH = '/alipay/notify';

export interface Answer {
  status: number;
  contentType: string | undefined;
  text: string;
}

export interface PostOptions {
  contentType?: string;
  /** Send without Content-Length (chunked), so that only the reader's own limit can stop it. */
  chunked?: boolean;
  path?: string;
}

export function post(base: string, body: Buffer | string, options: PostOptions = {}): Promise<Answer> {
  const url = new URL(options.path ?? NOTIFY_PATH, base);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? ALIPAY_CONTENT_TYPE, 'User-Agent': 'Mozilla/4.0' };
  if (!options.chunked) headers['Content-Length'] = String(bytes.length);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, contentType: res.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer 413 and close before the whole body is sent.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (options.chunked) {
      for (let i = 0; i < bytes.length; i += 1024) req.write(bytes.subarray(i, i + 1024));
      req.end();
    } else req.end(bytes);
  });
}

export async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
