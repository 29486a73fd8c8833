// The README's Midway recipe, on a small Midway 4 app (fixtures/midway-app) started in this process
// with Midway's own Bootstrap: the Koa adapter mounted with insertMiddlewareFirst() in onReady,
// ahead of the koa-bodyparser @midwayjs/koa adds; app.useMiddleware() (after it) is the wrong way.
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Bootstrap } from '@midwayjs/bootstrap';
import { MidwayApplicationManager } from '@midwayjs/core';
import type { Application } from '@midwayjs/koa';
import { listen } from '../adapters/support/http.js';
import { setNotifyOptions } from './fixtures/notify-options.js';
import {
  checkAlreadyParsed,
  checkRecipe,
  gbkRefund,
  recipeOptions,
  recorder,
  utf8Refund,
  withApp,
  type AnyOptions,
  type Running,
} from './support/recipe-cases.js';

const baseDir = fileURLToPath(new URL('./fixtures/midway-app/src/', import.meta.url));

async function startMidway(options: AnyOptions): Promise<Running> {
  setNotifyOptions(options);
  // Midway finds src/configuration.ts itself; it is CommonJS there (no "type": "module").
  const container = await Bootstrap.configure({ baseDir, moduleLoadType: 'commonjs', logger: false }).run();
  const app = (await container.getAsync(MidwayApplicationManager)).getApplication('koa') as unknown as Application;
  const server = await listen(createServer(app.callback()));
  return {
    url: server.url,
    async close() {
      await server.close();
      await Bootstrap.stop();
    },
  };
}

describe('Midway', () => {
  test('recipe: insertMiddlewareFirst(app, createKoaMiddleware({ path })) in onReady; useMiddleware() after the parser is ERR_BODY_ALREADY_PARSED naming the fix', async () => {
    const rec = recorder();
    await withApp(
      () => startMidway(recipeOptions(rec)),
      async (url) => {
        await checkRecipe(url, rec);
        // The same adapter appended with app.useMiddleware(), on /alipay/notify-late: too late.
        const fix = /on Midway, mount it with insertMiddlewareFirst\(app, middleware\)/;
        await checkAlreadyParsed(url, rec, utf8Refund(), fix, { path: '/alipay/notify-late' });
        await checkAlreadyParsed(url, rec, gbkRefund(), fix, { path: '/alipay/notify-late' });
      },
    );
  });
});
