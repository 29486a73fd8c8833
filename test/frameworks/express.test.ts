// The README's Express recipe (Express 4 and 5, app-wide express.json() / express.urlencoded() and
// the standalone body-parser 2), and what happens when the route is mounted after the parsers.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import bodyParser from 'body-parser';
import express4 from 'express4';
import express5 from 'express5';
import { createExpressHandler } from '../../src/adapters/express.js';
import { listen } from '../adapters/support/http.js';
import {
  checkAlreadyParsed,
  checkRecipe,
  ECHO_PATH,
  gbkRefund,
  NOTIFY_PATH,
  postAsAlipay,
  recipeOptions,
  recorder,
  utf8Refund,
  withApp,
  type AnyOptions,
  type Recorder,
} from './support/recipe-cases.js';

type Express = typeof express5;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** The hint of ERR_BODY_ALREADY_PARSED must name the fix that also works for GBK. */
const EXPRESS_FIX =
  /above app\.use\(express\.urlencoded\(\)\).*NestJS, app\.use\('\/alipay\/notify', handler\) before app\.listen\(\).*verify option is no fix.*415 to GBK/s;

type Parsers = 'express' | 'body-parser';

function globalParsers(app: ReturnType<Express>, express: Express, parsers: Parsers): void {
  if (parsers === 'express') {
    app.use(express.json());
    app.use(express.urlencoded({ extended: false }));
  } else {
    app.use(bodyParser.json());
    app.use(bodyParser.urlencoded({ extended: false }));
  }
}

/** The recipe: the notify route first, then the app's global parsers and its own routes. */
function recipeApp(express: Express, parsers: Parsers, options: AnyOptions) {
  const app = express();
  app.post(NOTIFY_PATH, createExpressHandler(options));
  globalParsers(app, express, parsers);
  app.post(ECHO_PATH, (req, res) => void res.json(req.body));
  return listen(createServer(app));
}

/** The wrong way: parsers first. An error handler records what a parser refused (how to detect it). */
function wrongWayApp(
  express: Express,
  parsers: Parsers,
  options: AnyOptions,
  refused: { status: number; type: string }[],
) {
  const app = express();
  globalParsers(app, express, parsers);
  app.post(NOTIFY_PATH, createExpressHandler(options));
  app.use((err: Any, _req: Any, res: Any, _next: Any) => {
    refused.push({ status: err.status, type: err.type });
    res.status(err.status ?? 500).end();
  });
  return listen(createServer(app));
}

const versions = [
  ['Express 4', express4],
  ['Express 5', express5],
] as const;

for (const [name, express] of versions) {
  describe(name, () => {
    for (const parsers of ['express', 'body-parser'] as const) {
      test(`recipe: the notify route before app-wide ${parsers === 'express' ? 'express.json() / express.urlencoded()' : 'body-parser 2 json() / urlencoded()'}`, async () => {
        const rec = recorder();
        await withApp(
          () => recipeApp(express, parsers, recipeOptions(rec)),
          (url) => checkRecipe(url, rec),
        );
      });
    }
  });
}

describe('Express, mounted after the global parsers (what the hint and the README warn about)', () => {
  test('Express 5: UTF-8 is ERR_BODY_ALREADY_PARSED naming the fix; GBK is refused with 415 before the adapter runs, seen only by an error handler', async () => {
    const rec = recorder();
    const refused: { status: number; type: string }[] = [];
    await withApp(
      () => wrongWayApp(express5, 'express', recipeOptions(rec), refused),
      async (url) => {
        await checkAlreadyParsed(url, rec, utf8Refund(), EXPRESS_FIX);
        const gbk = await postAsAlipay(url, gbkRefund());
        assert.equal(gbk.status, 415);
      },
    );
    // onError never heard of the GBK notification: only the app's error handler can log it.
    assert.deepEqual(
      rec.errors.map((e) => e.code),
      ['ERR_BODY_ALREADY_PARSED'],
    );
    assert.deepEqual(refused, [{ status: 415, type: 'charset.unsupported' }]);
  });

  test('Express 4 + body-parser 2 first: UTF-8 is ERR_BODY_ALREADY_PARSED naming the fix; GBK gets the same 415', async () => {
    const rec = recorder();
    const refused: { status: number; type: string }[] = [];
    await withApp(
      () => wrongWayApp(express4, 'body-parser', recipeOptions(rec), refused),
      async (url) => {
        await checkAlreadyParsed(url, rec, utf8Refund(), EXPRESS_FIX);
        assert.equal((await postAsAlipay(url, gbkRefund())).status, 415);
      },
    );
    assert.deepEqual(refused, [{ status: 415, type: 'charset.unsupported' }]);
  });

  test('the old workaround, express.urlencoded({ verify }) keeping req.rawBody: UTF-8 verifies, GBK never reaches the adapter (415)', async () => {
    const rec = recorder();
    const refused: { status: number; type: string }[] = [];
    const app = express5();
    app.use(
      express5.urlencoded({
        extended: false,
        verify: (req, _res, buf) => {
          (req as typeof req & { rawBody?: Buffer }).rawBody = buf;
        },
      }),
    );
    app.post(NOTIFY_PATH, createExpressHandler(recipeOptions(rec)));
    app.use((err: Any, _req: Any, res: Any, _next: Any) => {
      refused.push({ status: err.status, type: err.type });
      res.status(err.status).end();
    });
    await withApp(
      () => listen(createServer(app)),
      async (url) => {
        assert.equal((await postAsAlipay(url, utf8Refund())).text, 'success');
        assert.equal((await postAsAlipay(url, gbkRefund())).status, 415);
      },
    );
    assert.equal(rec.refunds.length, 1);
    assert.deepEqual(refused, [{ status: 415, type: 'charset.unsupported' }]);
  });
});

export type { Recorder };
