// The README's NestJS recipes: on the Express platform, app.use(path, handler) before listen()
// (Nest mounts its body parsers in init(), so the handler runs first); on the Fastify platform, the
// Fastify plugin. Both with Nest's default parsers on (bodyParser: true), and with rawBody: true.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { Body, Controller, Module, Post, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createExpressHandler } from '../../src/adapters/express.js';
import { alipayRefundNotifyPlugin } from '../../src/adapters/fastify.js';
import {
  checkAlreadyParsed,
  checkRecipe,
  gbkRefund,
  NOTIFY_PATH,
  postAsAlipay,
  recipeOptions,
  recorder,
  utf8Refund,
  withApp,
  type AnyOptions,
  type Running,
} from './support/recipe-cases.js';

// The decorators are applied by hand: the test runner's transpiler (esbuild, through tsx) has no
// `experimentalDecorators` here; an app compiled by Nest's CLI writes `@Controller()` etc.
class EchoController {
  echo(body: unknown): unknown {
    return body;
  }
}
Controller()(EchoController);
Post('echo')(EchoController.prototype, 'echo', Object.getOwnPropertyDescriptor(EchoController.prototype, 'echo')!);
Body()(EchoController.prototype, 'echo', 0);

class AppModule {}
Module({ controllers: [EchoController] })(AppModule);

async function running(app: NestExpressApplication | NestFastifyApplication): Promise<Running> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Express platform, as the README says: app.use(path, handler) between create() and listen(). */
async function expressRecipe(options: AnyOptions, rawBody: boolean): Promise<Running> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: false, rawBody });
  app.use(NOTIFY_PATH, createExpressHandler(options));
  return running(app);
}

/** Fastify platform, as the README says: the plugin, registered between create() and listen(). */
async function fastifyRecipe(options: AnyOptions, rawBody: boolean): Promise<Running> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
    logger: false,
    rawBody,
  });
  await app.register(alipayRefundNotifyPlugin, { ...options, path: NOTIFY_PATH });
  return running(app);
}

describe('NestJS', () => {
  for (const rawBody of [false, true]) {
    test(`Express platform, default parsers${rawBody ? ' with rawBody: true' : ''}: app.use('/alipay/notify', createExpressHandler(options)) before listen()`, async () => {
      const rec = recorder();
      await withApp(
        () => expressRecipe(recipeOptions(rec), rawBody),
        (url) => checkRecipe(url, rec),
      );
    });

    test(`Fastify platform, default parsers${rawBody ? ' with rawBody: true' : ''}: app.register(alipayRefundNotifyPlugin, { path }) before listen()`, async () => {
      const rec = recorder();
      await withApp(
        () => fastifyRecipe(recipeOptions(rec), rawBody),
        (url) => checkRecipe(url, rec),
      );
    });
  }

  for (const rawBody of [false, true]) {
    test(`Express platform, the handler as a Nest middleware (after the parsers)${rawBody ? ', rawBody: true' : ''}: ${rawBody ? 'UTF-8 verifies from req.rawBody' : 'UTF-8 is ERR_BODY_ALREADY_PARSED naming the Nest fix'}; GBK is a 415 the adapter never sees`, async () => {
      const rec = recorder();
      const options = recipeOptions(rec);
      class WrongModule implements NestModule {
        configure(consumer: MiddlewareConsumer): void {
          consumer.apply(createExpressHandler(options)).forRoutes(NOTIFY_PATH);
        }
      }
      Module({})(WrongModule);
      await withApp(
        async () => running(await NestFactory.create<NestExpressApplication>(WrongModule, { logger: false, rawBody })),
        async (url) => {
          if (rawBody) assert.equal((await postAsAlipay(url, utf8Refund())).text, 'success');
          else
            await checkAlreadyParsed(
              url,
              rec,
              utf8Refund(),
              /on NestJS, app\.use\('\/alipay\/notify', handler\) before app\.listen\(\)/,
            );
          assert.equal((await postAsAlipay(url, gbkRefund())).status, 415);
        },
      );
      assert.deepEqual(
        rec.errors.map((e) => e.code),
        rawBody ? [] : ['ERR_BODY_ALREADY_PARSED'],
      );
      assert.equal(rec.refunds.length, rawBody ? 1 : 0);
    });
  }
});
