// Real HTTP requests to a server on the loopback interface, with the exact headers Alipay sends
// (a malformed Content-Type, https://github.com/expressjs/body-parser/issues/137, and `Mozilla/4.0`).
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { connect } from 'node:net';

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
  const headers: Record<string, string> = {
    'Content-Type': options.contentType ?? ALIPAY_CONTENT_TYPE,
    'User-Agent': 'Mozilla/4.0',
  };
  if (!options.chunked) headers['Content-Length'] = String(bytes.length);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          contentType: res.headers['content-type'],
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    // The server may answer 413 and close before the whole body is sent.
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err),
    );
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

/** What a client that drips its body saw. */
export interface DripResult {
  /** The response's status, undefined if none came. */
  status: number | undefined;
  /** The response's headers, lower-cased. */
  headers: Record<string, string>;
  /** The response body. */
  text: string;
  /** Body bytes sent before the first byte of the response arrived. */
  sentBeforeAnswer: number;
  /** Whether the server ended the connection (rather than the client giving up). */
  closedByServer: boolean;
}

export interface DripOptions {
  /** Milliseconds between two bytes. */
  intervalMs: number;
  /** How many bytes to drip at most; the rest is never sent. */
  bytes: number;
  /** Send `Transfer-Encoding: chunked` (one chunk per byte) instead of a Content-Length. */
  chunked?: boolean;
  /** How long to wait, once the dripping stopped, before giving up on the server. */
  giveUpMs?: number;
}

/**
 * Posts `body` over a raw socket (node:net), one byte every `intervalMs`, the way a slow-loris
 * client does: the declared length is the whole body, but at most `bytes` of it are ever sent.
 * Resolves when the connection closes (the server closed it, or the client gave up).
 */
export function dripPost(base: string, body: Buffer, options: DripOptions): Promise<DripResult> {
  const url = new URL(NOTIFY_PATH, base);
  const head = [
    `POST ${url.pathname} HTTP/1.1`,
    `Host: ${url.host}`,
    `Content-Type: ${ALIPAY_CONTENT_TYPE}`,
    'User-Agent: Mozilla/4.0',
    options.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    let sent = 0;
    let sentBeforeAnswer: number | undefined;
    let closedByServer = false;
    let dripper: NodeJS.Timeout | undefined;
    let giveUp: NodeJS.Timeout | undefined;
    const drip = (): void => {
      if (sent >= options.bytes || sent >= body.length) {
        clearInterval(dripper);
        giveUp = setTimeout(() => socket.destroy(), options.giveUpMs ?? 10_000);
        return;
      }
      const byte = body.subarray(sent, sent + 1);
      socket.write(options.chunked ? Buffer.concat([Buffer.from('1\r\n'), byte, Buffer.from('\r\n')]) : byte);
      sent++;
    };
    socket.on('connect', () => {
      socket.write(head);
      dripper = setInterval(drip, options.intervalMs);
    });
    socket.on('data', (chunk: Buffer) => {
      sentBeforeAnswer ??= sent;
      clearInterval(dripper);
      received.push(chunk);
    });
    socket.on('end', () => (closedByServer = true));
    socket.on('error', () => undefined); // a reset is a close too; what was received decides
    socket.on('close', () => {
      clearInterval(dripper);
      clearTimeout(giveUp);
      const raw = Buffer.concat(received).toString('latin1');
      const [headText = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = headText.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let text = rest.join('\r\n\r\n');
      if (headers['transfer-encoding'] === 'chunked')
        text = text.replace(/^[0-9a-f]+\r\n/i, '').replace(/\r\n0\r\n\r\n$/, '');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1];
      resolve({
        status: status === undefined ? undefined : Number(status),
        headers,
        text,
        sentBeforeAnswer: sentBeforeAnswer ?? sent,
        closedByServer,
      });
    });
  });
}
