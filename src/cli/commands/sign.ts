import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { joinOptionValues } from '../join-option-values.js';
import { readInput } from '../read-input.js';
import { SIGNING_OPTIONS, SIGNING_USAGE, signFromOptions } from '../sign-from-options.js';
import { jsonForTerminal } from '../terminal-text.js';
import { writeOutput } from '../write-new-file.js';

const usage = `Usage: alipay-notify sign [options]

Builds a realistic notification (or takes your JSON fields), signs it exactly as Alipay does and
prints the form-encoded body Alipay would POST (byte for byte, no trailing newline).

${SIGNING_USAGE}
Output:
  --out <file>         write the body to a file instead of stdout
  --json               print {"fields", "body", "charset"} instead
  -h, --help           this help

Examples:
  alipay-notify sign --kind full-refund --charset GBK > refund.body
  echo '{"notify_type":"trade_status_sync","app_id":"2021000000000000"}' | alipay-notify sign --fields -

Exit codes: 0 signed, 2 bad arguments, unreadable fields or key.`;

const OPTIONS = {
  ...SIGNING_OPTIONS,
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: joinOptionValues(argv, OPTIONS), options: OPTIONS, allowPositionals: false });
  if (values.help === true) {
    console.log(usage);
    return EXIT.OK;
  }
  const fieldsText = values.fields === undefined ? undefined : (await readInput(values.fields)).toString('utf8');
  const signed = signFromOptions(values, fieldsText);
  if (values.json === true) {
    const out = jsonForTerminal({
      fields: signed.fields,
      body: signed.body.toString('latin1'),
      charset: signed.charsetLabel,
    });
    if (values.out === undefined) console.log(out);
    else writeOutput(values.out, `${out}\n`);
  } else if (values.out === undefined) {
    process.stdout.write(signed.body);
  } else {
    writeOutput(values.out, signed.body);
  }
  return EXIT.OK;
}

/** `alipay-notify sign`: prints a signed notification body. */
export const sign: Command = {
  name: 'sign',
  summary: 'build and sign a notification, print the body Alipay would POST',
  usage,
  run,
};
