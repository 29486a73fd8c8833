// The README's Fastify recipe (Fastify 4 and 5 with @fastify/formbody registered app-wide, before
// or after the plugin): the plugin's own raw parser serves its route, whatever the app registered.
import { describe, test } from 'node:test';
import formbody9 from '@fastify/formbody';
import formbody7 from 'formbody7';
import fastify4 from 'fastify4';
import fastify5 from 'fastify5';
import { alipayRefundNotifyPlugin } from '../../src/adapters/fastify.js';
import {
  checkRecipe,
  ECHO_PATH,
  NOTIFY_PATH,
  recipeOptions,
  recorder,
  withApp,
  type AnyOptions,
} from './support/recipe-cases.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

async function start(Fastify: Any, formbody: Any, options: AnyOptions, formbodyFirst: boolean) {
  const app = Fastify();
  if (formbodyFirst) await app.register(formbody);
  await app.register(alipayRefundNotifyPlugin, { ...options, path: NOTIFY_PATH });
  if (!formbodyFirst) await app.register(formbody);
  app.post(ECHO_PATH, async (req: Any) => req.body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() };
}

for (const [name, Fastify, formbody] of [
  ['Fastify 4 + @fastify/formbody 7', fastify4, formbody7],
  ['Fastify 5 + @fastify/formbody 9', fastify5, formbody9],
] as const) {
  describe(name, () => {
    for (const formbodyFirst of [true, false]) {
      test(`recipe: app.register(alipayRefundNotifyPlugin, { path }), @fastify/formbody registered ${formbodyFirst ? 'before' : 'after'} it`, async () => {
        const rec = recorder();
        await withApp(
          () => start(Fastify, formbody, recipeOptions(rec), formbodyFirst),
          (url) => checkRecipe(url, rec),
        );
      });
    }
  });
}
