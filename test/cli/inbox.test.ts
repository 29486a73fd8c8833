// `alipay-notify inbox failed | replay` against the real servers: lists a failed refund, replays it
// with the merchant's options module (its onRefund writes through ctx.tx), exit codes for a
// failed replay, a missing one, bad arguments and an unreachable database.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { buildRefundFields, generateTestKeyPair, signNotification, type TestKeyPair } from '../../src/testing/index.js';
import { cli } from '../support/cli-harness.js';
import { DB_URL, DIALECTS, SKIP_NO_URL, freePort, openDb, placeholders, type TestDb } from '../inbox/db-env.js';

const APP_ID = '2021000000000000';
let alipay: TestKeyPair;
const dir = mkdtempSync(join(tmpdir(), 'alipay-notify-cli-inbox-'));
before(() => {
  alipay = generateTestKeyPair();
});
after(() => rmSync(dir, { recursive: true, force: true }));

for (const dialect of DIALECTS) {
  describe(`alipay-notify inbox on ${dialect}`, { skip: SKIP_NO_URL[dialect] }, () => {
    let db: TestDb;
    before(async () => {
      db = await openDb(dialect);
    });
    after(async () => {
      await db?.close();
    });

    test('failed lists it; replay with the options module handles it once', { timeout: 120_000 }, async () => {
      const handler = createFetchHandler({
        alipayPublicKey: alipay.publicKey,
        appId: APP_ID,
        store: db.inbox,
        onNotification: 'retry',
        onRefund: () => {
          throw new Error('v1 bug');
        },
      });
      const { body, fields } = signNotification(buildRefundFields('partial', { appId: APP_ID }), {
        privateKey: alipay.privateKey,
      });
      const notifyId = fields['notify_id']!;
      assert.equal(
        await (await handler(new Request('http://127.0.0.1/notify', { method: 'POST', body }))).text(),
        'fail',
      );
      const base = ['--database-url', DB_URL[dialect]!, '--table', db.inboxTable];

      const listed = await cli(['inbox', 'failed', ...base, '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      const [entry] = JSON.parse(listed.stdout) as {
        notifyId: string;
        attempts: number;
        code: string;
        message: string;
        rawBody: string;
      }[];
      assert.deepEqual(
        [entry?.notifyId, entry?.attempts, entry?.code, entry?.message],
        [notifyId, 1, 'ERR_HANDLER_FAILED', 'v1 bug'],
      );
      assert.deepEqual(Buffer.from(entry!.rawBody, 'base64'), body);
      const text = await cli(['inbox', 'failed', ...base, '--limit', '5']);
      assert.match(text.stdout, new RegExp(`^${notifyId}  attempts=1  last=\\S+  ERR_HANDLER_FAILED: v1 bug$`, 'm'));

      const insert = placeholders(dialect, `INSERT INTO ${db.logTable} (notify_id, out_biz_no) VALUES ($1, $2)`);
      const broken = join(dir, `broken-${dialect}.mjs`);
      writeFileSync(
        broken,
        `export default { alipayPublicKey: ${JSON.stringify(alipay.publicKey)}, appId: '${APP_ID}', onNotification: 'retry', onRefund() { throw new Error('still'); } };\n`,
      );
      const again = await cli(['inbox', 'replay', notifyId, ...base, '--options', broken]);
      assert.equal(again.code, 1);
      assert.match(again.stdout, /^failed: ERR_HANDLER_FAILED/m);
      const againJson = await cli(['inbox', 'replay', notifyId, ...base, '--options', broken, '--json']);
      assert.deepEqual([againJson.code, JSON.parse(againJson.stdout).code], [1, 'ERR_HANDLER_FAILED']);

      const fixed = join(dir, `fixed-${dialect}.mjs`);
      writeFileSync(
        fixed,
        `export default () => ({ alipayPublicKey: ${JSON.stringify(alipay.publicKey)}, appId: '${APP_ID}', onNotification: 'retry',
  async onRefund(refund, ctx) { await ctx.tx.query(${JSON.stringify(insert)}, [ctx.notifyId, refund.outBizNo]); } });\n`,
      );
      const replayed = await cli(['inbox', 'replay', notifyId, ...base, '--options', fixed, '--json']);
      assert.equal(replayed.code, 0, replayed.stderr);
      assert.deepEqual(JSON.parse(replayed.stdout), { status: 'handled' });
      assert.equal(await db.count(fields['out_biz_no']!), 1);
      assert.equal((await cli(['inbox', 'replay', notifyId, ...base, '--options', fixed])).stdout.trim(), 'duplicate');
      assert.equal(await db.count(fields['out_biz_no']!), 1);
      assert.equal((await cli(['inbox', 'failed', ...base])).stdout.trim(), 'no failed notifications');
      const missing = await cli(['inbox', 'replay', 'nope', ...base, '--options', fixed, '--json']);
      assert.deepEqual([missing.code, JSON.parse(missing.stdout)], [1, { status: 'not_found' }]);
      const failedJson = await cli([
        'inbox',
        'replay',
        notifyId,
        '--database-url',
        DB_URL[dialect]!,
        '--table',
        `${db.inboxTable}_absent`,
        '--options',
        broken,
        '--json',
      ]);
      assert.equal(failedJson.code, 3, 'no such table: the database failed');
    });
  });
}

test('alipay-notify inbox: usage errors and an unreachable database', { timeout: 120_000 }, async () => {
  const port = await freePort();
  for (const args of [
    ['inbox'],
    ['inbox', 'failed', '--database-url', 'redis://x'],
    ['inbox', 'failed', '--database-url', 'not a url'],
    ['inbox', 'replay', '--database-url', 'postgres://x'],
    ['inbox', 'replay', 'id', '--database-url', 'postgres://x'],
    ['inbox', 'failed', 'extra', '--database-url', 'postgres://x'],
  ]) {
    const r = await cli(args, { env: { DATABASE_URL: undefined } });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
  assert.equal((await cli(['inbox', '--help'])).code, 0);
  const down = await cli(['inbox', 'failed'], {
    env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres` },
  });
  assert.equal(down.code, 3, down.stderr);
  assert.match(down.stderr, /inbox database failed/);
  const downMysql = await cli(['inbox', 'failed', '--database-url', `mariadb://root@127.0.0.1:${port}/x`]);
  assert.equal(downMysql.code, 3, downMysql.stderr);
  const empty = join(dir, 'empty.mjs');
  writeFileSync(empty, 'export default {};\n');
  const bad = await cli([
    'inbox',
    'replay',
    'id',
    '--database-url',
    `postgres://postgres@127.0.0.1:${port}/postgres`,
    '--options',
    empty,
  ]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /ERR_CONFIG|onRefund: required/);
});
