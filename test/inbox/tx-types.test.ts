// ctx.tx is typed from the inbox given as `store`, with no cast: a pg PoolClient with the
// PostgreSQL inbox, a mysql2 PoolConnection with the MySQL one, undefined with any other store.
// The assertions are checked by `npm run typecheck` (tsc on test/); the test below also builds the
// handlers, which touches no database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type mysqlTypes from 'mysql2/promise';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createExpressHandler } from '../../src/adapters/express.js';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { createKoaMiddleware } from '../../src/adapters/koa.js';
import { createMysqlInbox } from '../../src/inbox/mysql.js';
import { createPostgresInbox } from '../../src/inbox/postgres.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { generateTestKeyPair } from '../../src/testing/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Equal<A, B>): Equal<A, B> => proof;

test('ctx.tx is the driver connection with an inbox, undefined otherwise', async () => {
  const pgPool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' }); // lazy: never connects here
  const mysqlPool = mysql.createPool({ uri: 'mysql://nobody@127.0.0.1:1/none' });
  const common = {
    alipayPublicKey: generateTestKeyPair().publicKey,
    appId: '2021000000000000',
    onNotification: 'acknowledge' as const,
  };
  const seen: string[] = [];
  try {
    const handlers = [
      createExpressHandler({
        ...common,
        store: createPostgresInbox({ pool: pgPool }),
        onRefund: async (_refund, ctx) => {
          same<typeof ctx.tx, pg.PoolClient>(true);
          await ctx.tx.query('SELECT 1');
        },
      }),
      createFetchHandler({
        ...common,
        store: createMysqlInbox({ pool: mysqlPool }),
        onRefund: async (_refund, ctx) => {
          same<typeof ctx.tx, mysqlTypes.PoolConnection>(true);
          await ctx.tx.query('SELECT ?', [1]);
        },
      }),
      createKoaMiddleware({
        ...common,
        store: createPostgresInbox({ pool: pgPool, tableName: 'shop.alipay_inbox' }),
        onRefund: (_refund, _ctx) => {
          same<typeof _ctx.tx, pg.PoolClient>(true);
        },
      }),
      createExpressHandler({
        ...common,
        store: createMemoryStore(),
        onRefund: (_refund, ctx) => {
          same<typeof ctx.tx, undefined>(true);
          // @ts-expect-error: no transaction without an inbox
          ctx.tx.query('SELECT 1');
        },
      }),
      createExpressHandler({
        ...common,
        onRefund: (_refund, _ctx) => {
          same<typeof _ctx.tx, undefined>(true);
        },
      }),
    ];
    for (const h of handlers) seen.push(typeof h);
    assert.deepEqual(seen, ['function', 'function', 'function', 'function', 'function']);
  } finally {
    await pgPool.end();
    await mysqlPool.end();
  }
});
