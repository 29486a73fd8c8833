// Preloaded (node --require) to play a runtime whose node:crypto has no raw RSA: Deno's had no
// publicDecrypt at all until https://github.com/denoland/deno/pull/32690, and other runtimes refuse
// RSA_NO_PADDING. ALIPAY_NOTIFY_TEST_RAW_RSA says how: `throws` (the padding is refused) or
// `absent` (no publicDecrypt). syncBuiltinESMExports makes ES module imports see the change too.
const crypto = require('node:crypto');
const { syncBuiltinESMExports } = require('node:module');

const mode = process.env.ALIPAY_NOTIFY_TEST_RAW_RSA;
const original = crypto.publicDecrypt;
if (mode === 'absent') {
  delete crypto.publicDecrypt;
} else {
  crypto.publicDecrypt = function publicDecrypt(options, buffer) {
    if (options !== null && typeof options === 'object' && options.padding === crypto.constants.RSA_NO_PADDING) {
      throw new Error('Unsupported padding: RSA_NO_PADDING');
    }
    return original.call(this, options, buffer);
  };
}
syncBuiltinESMExports();
