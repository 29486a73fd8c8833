// The README's Egg.js recipe, on a small Egg app (fixtures/egg-app) started in this process with
// Egg's own single-process starter: the Koa adapter as the route's middleware, plus
// config.bodyParser.ignore and config.security.csrf.ignore for the notify path.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { start } from 'egg';
import { listen } from '../adapters/support/http.js';
import { setNotifyOptions } from './fixtures/notify-options.js';
import {
  checkAlreadyParsed,
  checkRecipe,
  gbkRefund,
  postAsAlipay,
  recipeOptions,
  recorder,
  utf8Refund,
  withApp,
  type AnyOptions,
  type Running,
} from './support/recipe-cases.js';

const baseDir = fileURLToPath(new URL('./fixtures/egg-app/', import.meta.url));

async function startEgg(options: AnyOptions, env: string): Promise<Running> {
  setNotifyOptions(options);
  const app = await start({ baseDir, env });
  const server = await listen(createServer(app.callback()));
  return {
    url: server.url,
    async close() {
      await server.close();
      await app.close();
      await app.agent.close();
    },
  };
}

describe('Egg.js', () => {
  test('recipe: router.post(path, createKoaMiddleware(options)) with the notify path in bodyParser.ignore and security.csrf.ignore', async () => {
    const rec = recorder();
    await withApp(
      () => startEgg(recipeOptions(rec), 'unittest'),
      (url) => checkRecipe(url, rec),
    );
  });

  test("without the two config lines: Egg's CSRF check answers 403; Egg's body parser eats a form body (ERR_BODY_ALREADY_PARSED naming the Egg fix)", async () => {
    const rec = recorder();
    await withApp(
      () => startEgg(recipeOptions(rec), 'missing-config'),
      async (url) => {
        assert.equal((await postAsAlipay(url, utf8Refund(), '/alipay/notify-csrf')).status, 403);
        // Egg 4's parser happens to skip Alipay's malformed Content-Type (its type-is does not
        // parse it) but reads the same body sent with a well-formed one, as a proxy may rewrite it.
        assert.equal((await postAsAlipay(url, utf8Refund())).text, 'success');
        await checkAlreadyParsed(
          url,
          rec,
          utf8Refund(),
          /on Egg\.js, add the notify path to config\.bodyParser\.ignore and config\.security\.csrf\.ignore/,
          { contentType: 'application/x-www-form-urlencoded' },
        );
        await checkAlreadyParsed(url, rec, gbkRefund(), /config\.bodyParser\.ignore/, {
          contentType: 'application/x-www-form-urlencoded; charset=GBK',
        });
      },
    );
    assert.deepEqual(
      rec.errors.map((e) => e.code),
      ['ERR_BODY_ALREADY_PARSED', 'ERR_BODY_ALREADY_PARSED'],
    );
  });
});
