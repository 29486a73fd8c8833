/** What this library's adapters answer with `fail`, by status (see `replyFor` in the adapters). */
function adapterHint(status: number): string {
  switch (status) {
    case 400:
      return 'the adapter refused it: it did not verify with the key and app id the endpoint has (another key, another app id?); onError has the error code, and "alipay-notify verify" on the body (--save-body) says why';
    case 413:
      return 'the adapter refused it as larger than its maxBodyBytes';
    case 415:
      return "the adapter refused the body's charset (ERR_CHARSET_UNSUPPORTED)";
    case 500:
      return 'the handler threw or the adapter is mis-mounted (a body parser ran first: ERR_BODY_ALREADY_PARSED); see the server log';
    case 503:
      return 'the duplicate store failed, the same notify_id was being handled at that moment, or nothing handles this kind of notification; onError has the error code';
    default:
      return 'your endpoint refused it: it did not verify there or the handler failed; onError or the server log has the error code';
  }
}

/**
 * What to look at when an endpoint did not answer `success`, from what it answered. A `fail`
 * body is this library's adapter (or a handler like it) refusing; any other body came from
 * something else: a body parser that refuses Alipay's malformed `Content-Type`, CSRF or auth
 * middleware in front of the route, a wrong mount path, a framework's error page
 * (https://opendocs.alipay.com/open/270/105902: only a 200 with `success` stops the retries).
 *
 * @example
 * ```ts
 * hintForAnswer(404, 'Not Found', new URL('http://127.0.0.1:3000/notify'));
 * // 'nothing answers POST /notify: check the path the handler is mounted on …'
 * ```
 */
export function hintForAnswer(status: number, reply: string, url: URL): string | undefined {
  if (status === 200 && reply === 'success') return undefined;
  if (reply === 'fail') return adapterHint(status);
  if (status === 200) {
    return 'answer exactly the 7 bytes "success" (no HTML, JSON, quotes or newline); a page here means another route or a catch-all answered instead of the notify handler';
  }
  if (status >= 300 && status < 400)
    return 'point notify_url at the final URL: Alipay does not follow redirects (http → https, a trailing slash, a login page)';
  if (status === 404)
    return `nothing answers POST ${url.pathname}: check the path the handler is mounted on (the examples use /alipay/notify), including any prefix or global path`;
  if (status === 405) return `${url.pathname} does not accept POST: mount the handler on a POST route`;
  if (status === 400 || status === 415) {
    return 'a body parser in front of the route refused Alipay\'s Content-Type ("application/x-www-form-urlencoded; text/html; charset=…") or ate the body: register the notify route before any body parser';
  }
  if (status === 401 || status === 403)
    return 'CSRF protection or auth in front of the route refused it (Alipay sends no cookie, token or CSRF field): exempt the notify route';
  if (status === 413) return "the body was over a size limit: a body parser's or a proxy's";
  if (status === 500) return 'the handler threw or the adapter is mis-mounted; see the server log';
  if (status >= 502 && status <= 504)
    return "a proxy in front could not reach your app, or it was too slow: see the proxy's and the app's logs";
  return undefined;
}
