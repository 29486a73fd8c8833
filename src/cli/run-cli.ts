import type { Command } from './command.js';
import { inbox } from './commands/inbox.js';
import { keygen } from './commands/keygen.js';
import { send } from './commands/send.js';
import { sign } from './commands/sign.js';
import { verify } from './commands/verify.js';
import { queryRefund } from './commands/query-refund.js';
import { queryTrade } from './commands/query-trade.js';
import { fakeGateway } from './commands/fake-gateway.js';
import { EXIT, UsageError } from './exit-codes.js';
import { printLines } from './terminal-text.js';

const COMMANDS: readonly Command[] = [keygen, sign, send, verify, inbox, queryRefund, queryTrade, fakeGateway];

const usage = `Usage: alipay-notify <command> [options]

Test your Alipay refund notification endpoint without Alipay: a throwaway key plays Alipay.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`).join('\n')}

Quick start:
  alipay-notify keygen                                  # prints ALIPAY_PUBLIC_KEY=… for your endpoint
  alipay-notify send http://127.0.0.1:3000/alipay/notify --retry

Run "alipay-notify <command> --help" for a command's options.
Exit codes: 0 ok, 1 the endpoint or signature said no, 2 bad arguments, 3 endpoint unreachable.`;

/**
 * Runs the CLI with `argv` (the arguments after the program name); resolves to the exit code.
 * Usage mistakes are printed to stderr with a pointer to `--help` (exit 2), escaped: they may quote
 * what was typed or read.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['send', 'http://127.0.0.1:3000/alipay/notify']);
 * ```
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    console.log(topic?.usage ?? usage);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    printLines([`alipay-notify: unknown command ${JSON.stringify(name)}`, ''], process.stderr);
    console.error(usage);
    return EXIT.USAGE;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options.
    const code = (err as { code?: unknown } | null)?.code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      printLines(
        [`alipay-notify ${command.name}: ${(err as Error).message}`, `(see: alipay-notify ${command.name} --help)`],
        process.stderr,
      );
      return EXIT.USAGE;
    }
    throw err;
  }
}
