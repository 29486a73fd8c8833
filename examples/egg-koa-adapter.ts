// What examples/egg/app/router.ts imports. Your router imports 'alipay-refund-notify/koa' itself.
// The example's Egg app is a package of its own (Egg reads its name from its package.json), and
// from inside it this repository's name does not resolve as it does once the package is
// installed; this file, outside it, imports by name and passes it on.
export { createKoaMiddleware } from 'alipay-refund-notify/koa';
