/**
 * One `alipay-notify` sub-command.
 *
 * @example
 * ```ts
 * const keygen: Command = { name: 'keygen', summary: 'write a test key pair', usage: '…', run: async (argv) => 0 };
 * ```
 */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}
