/**
 * An app whose middleware list can be prepended to: Midway's `app.getMiddleware()`.
 *
 * @example
 * ```ts
 * const app: MiddlewareListApp = midwayKoaApp; // an @midwayjs/koa Application fits as it is
 * ```
 */
export interface MiddlewareListApp {
  // `never`: any app whose insertFirst takes some middleware type fits, whatever that type is
  // (Midway's is generic over its context and `next`, which a Koa middleware does not name).
  getMiddleware(): { insertFirst(middleware: never): void };
}

/**
 * Mounts `middleware` first, ahead of the body parser a framework adds itself. On Midway
 * (`@midwayjs/koa`), `app.useMiddleware()` appends after its koa-bodyparser, which would consume
 * the notification's body first; `app.getMiddleware().insertFirst()` puts the adapter ahead of it
 * (https://midwayjs.org/docs/middleware), and this helper spares the cast its types need.
 *
 * @example
 * ```ts
 * // src/configuration.ts of a Midway app
 * import { createKoaMiddleware, insertMiddlewareFirst } from 'alipay-refund-notify/koa';
 * export class MainConfiguration {
 *   async onReady(_container: IMidwayContainer, app: koa.Application) {
 *     insertMiddlewareFirst(app, createKoaMiddleware({ ...options, path: '/alipay/notify' }));
 *   }
 * }
 * ```
 */
export function insertMiddlewareFirst<M extends (...args: never[]) => unknown>(
  app: MiddlewareListApp,
  middleware: M,
): void {
  // A method's parameter is checked both ways, so the `never` of MiddlewareListApp reads as M here.
  const list: { insertFirst(middleware: M): void } = app.getMiddleware();
  list.insertFirst(middleware);
}
