// src/adapters/read-node-body.ts on its own, with real Node streams: the deadline is optional
// (framework helpers may read without one), and when it is given it is cleared on every outcome.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { readNodeBody } from '../../src/adapters/read-node-body.js';

test('without a deadline the body is read to its end', async () => {
  const stream = new PassThrough();
  const reading = readNodeBody(stream, { limit: 100 });
  stream.end(Buffer.from('a=1&b=2'));
  assert.deepEqual(await reading, Buffer.from('a=1&b=2'));
});

test('with a deadline: a body that stalls is ERR_BODY_TIMEOUT and the stream is paused, no longer read', async () => {
  const stream = new PassThrough();
  const reading = readNodeBody(stream, { limit: 100, timeoutMs: 30 });
  stream.write('a=1');
  await assert.rejects(reading, { code: 'ERR_BODY_TIMEOUT' });
  assert.equal(stream.isPaused(), true);
  assert.equal(stream.listenerCount('data'), 0);
});

test('with a deadline: a body in time resolves, and the timer is cleared (the process is not held open)', async () => {
  const stream = new PassThrough();
  const reading = readNodeBody(stream, { limit: 100, timeoutMs: 60_000 });
  stream.end('a=1');
  assert.deepEqual(await reading, Buffer.from('a=1'));
  // A live 60 s timer would be listed among the active handles.
  const timers = (process as unknown as { getActiveResourcesInfo(): string[] })
    .getActiveResourcesInfo()
    .filter((r) => r === 'Timeout');
  assert.equal(timers.length, 0);
});

test('a captured Uint8Array is reused as it is; string chunks and several chunks are joined', async () => {
  const bytes = new Uint8Array(Buffer.from('xxa=1&b=2')).subarray(2);
  assert.deepEqual(
    await readNodeBody(new PassThrough(), { limit: 100, captured: [undefined, bytes] }),
    Buffer.from('a=1&b=2'),
  );
  const text = new PassThrough();
  text.setEncoding('utf8');
  const reading = readNodeBody(text, { limit: 100, timeoutMs: 60_000 });
  text.write('a=1');
  text.end('&b=2');
  assert.deepEqual(await reading, Buffer.from('a=1&b=2'));
});

test('a stream already read, without a hint, and a stream cut off: typed errors', async () => {
  const read = new PassThrough();
  read.end('a=1');
  read.resume();
  await new Promise((r) => read.once('end', r));
  await assert.rejects(readNodeBody(read, { limit: 100 }), { code: 'ERR_BODY_ALREADY_PARSED', message: /saw it$/ });
  const cut = new PassThrough();
  const reading = readNodeBody(cut, { limit: 100, timeoutMs: 60_000 });
  cut.write('a=');
  cut.destroy();
  await assert.rejects(reading, { code: 'ERR_BODY_ABORTED' });
});
