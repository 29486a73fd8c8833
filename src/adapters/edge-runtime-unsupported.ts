/**
 * What `alipay-refund-notify` and `alipay-refund-notify/fetch` resolve to under the `edge-light`
 * export condition, which Next.js's Edge runtime and Vercel Edge Functions resolve with
 * (https://nextjs.org/docs/app/api-reference/edge, https://runtime-keys.proposal.wintercg.org/#edge-light).
 * That runtime has Web Crypto but not `node:crypto`, which verifies every signature here, so this
 * module throws as soon as it is loaded: `next build` stops on this message (it loads each route
 * while collecting page data), not on an unrelated one about `node:crypto` or `stream`.
 *
 * It is CommonJS in the package (`dist/cjs`), so that bundlers accept any named import from it
 * and the message, not a missing export, is what the build reports.
 *
 * @example
 * ```ts
 * // app/alipay/notify/route.ts — remove this line: the default Node.js runtime works.
 * export const runtime = 'edge';
 * ```
 * @packageDocumentation
 */
import { NotifyConfigError } from '../errors/index.js';

throw new NotifyConfigError(
  'runtime',
  "the Edge runtime is not supported (it has no node:crypto): remove `export const runtime = 'edge'` from the route, the default Node.js runtime works",
);
