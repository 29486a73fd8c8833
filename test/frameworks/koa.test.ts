// The README's Koa recipe (Koa 2 and 3 with @koa/bodyparser, koa-body or koa-bodyparser mounted
// app-wide), and what happens when the middleware comes after the parser.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import Koa2 from 'koa2';
import Koa3 from 'koa3';
import { createKoaMiddleware } from '../../src/adapters/koa.js';
import { listen } from '../adapters/support/http.js';
import {
  checkAlreadyParsed,
  checkRecipe,
  ECHO_PATH,
  gbkRefund,
  NOTIFY_PATH,
  recipeOptions,
  recorder,
  utf8Refund,
  withApp,
  type AnyOptions,
} from './support/recipe-cases.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

// Loaded without their types: @koa/bodyparser and koa-body declare `rawBody: string` on every
// http.IncomingMessage, which would leak into this whole type-checked program.
const load = (name: string): Promise<Any> => import(name);
const { bodyParser: koaBodyparser6 } = await load('@koa/bodyparser');
const { koaBody } = await load('koa-body');
const { default: koaBodyparser4 } = await load('koa-bodyparser');

/** The hint of ERR_BODY_ALREADY_PARSED must name the fix that works with every parser. */
const KOA_FIX = /before the body parser.*koa-body ignores ctx\.disableBodyParser/s;

const parsers: [string, () => Any][] = [
  ['@koa/bodyparser', () => koaBodyparser6()],
  ['koa-body', () => koaBody()],
  ['koa-bodyparser', () => koaBodyparser4()],
];

function echo(ctx: Any, next: () => Promise<unknown>): Promise<unknown> | void {
  if (ctx.path !== ECHO_PATH) return next();
  ctx.body = ctx.request.body;
}

/** The recipe: the Alipay middleware first, then the app's global parser and routes. */
function recipeApp(Koa: Any, parser: () => Any, options: AnyOptions) {
  const app = new Koa();
  app.use(createKoaMiddleware({ ...options, path: NOTIFY_PATH }));
  app.use(parser());
  app.use(echo);
  return listen(createServer(app.callback()));
}

for (const [name, Koa] of [
  ['Koa 2', Koa2],
  ['Koa 3', Koa3],
] as const) {
  describe(name, () => {
    for (const [parserName, parser] of parsers) {
      test(`recipe: app.use(createKoaMiddleware({ path })) before app.use(${parserName})`, async () => {
        const rec = recorder();
        await withApp(
          () => recipeApp(Koa, parser, recipeOptions(rec)),
          (url) => checkRecipe(url, rec),
        );
      });
    }
  });
}

describe('Koa 3, the middleware after the parser (what the hint warns about)', () => {
  for (const [parserName, parser] of parsers) {
    test(`${parserName} first: ERR_BODY_ALREADY_PARSED naming the fix, for UTF-8 and GBK`, async () => {
      const rec = recorder();
      const app = new Koa3();
      app.use(parser());
      app.use(createKoaMiddleware({ ...recipeOptions(rec), path: NOTIFY_PATH }));
      await withApp(
        () => listen(createServer(app.callback())),
        async (url) => {
          await checkAlreadyParsed(url, rec, utf8Refund(), KOA_FIX);
          await checkAlreadyParsed(url, rec, gbkRefund(), KOA_FIX);
        },
      );
    });
  }

  test('koa-body ignores ctx.disableBodyParser: setting it for the path does not help', async () => {
    const rec = recorder();
    const app = new Koa3();
    app.use(async (ctx, next) => {
      if (ctx.path === NOTIFY_PATH) (ctx as Any).disableBodyParser = true;
      await next();
    });
    app.use(koaBody());
    app.use(createKoaMiddleware({ ...recipeOptions(rec), path: NOTIFY_PATH }));
    await withApp(
      () => listen(createServer(app.callback())),
      (url) => checkAlreadyParsed(url, rec, utf8Refund(), KOA_FIX),
    );
    assert.equal(rec.errors.length, 1);
  });
});
