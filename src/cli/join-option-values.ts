/** The part of a `parseArgs` option this needs. */
interface OptionShape {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

/**
 * Joins `--name value` into `--name=value` for every option that takes a value, so that
 * `parseArgs` accepts values that begin with a dash. Node's `parseArgs` refuses
 * `--public-key "$(cat key.pem)"` as "ambiguous" because the PEM starts with `-----BEGIN`
 * (https://nodejs.org/api/util.html#utilparseargsconfig); the shell form people actually type
 * must work. The next argument is left alone when it is itself one of the command's options
 * (`--app-id --json` still reports the missing value), and nothing after `--` is touched.
 *
 * @example
 * ```ts
 * joinOptionValues(['--public-key', '-----BEGIN PUBLIC KEY-----…'], { 'public-key': { type: 'string' } });
 * // ['--public-key=-----BEGIN PUBLIC KEY-----…']
 * ```
 */
export function joinOptionValues(argv: readonly string[], options: Readonly<Record<string, OptionShape>>): string[] {
  const byShort = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) if (o.short !== undefined) byShort.set(o.short, name);
  const isOption = (arg: string): boolean => {
    if (arg.startsWith('--')) return Object.hasOwn(options, arg.slice(2).split('=')[0]!);
    return arg.length === 2 && arg.startsWith('-') && byShort.has(arg[1]!);
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith('--')
      ? arg.slice(2)
      : arg.length === 2 && arg.startsWith('-')
        ? byShort.get(arg[1]!)
        : undefined;
    const next = argv[i + 1];
    if (
      name !== undefined &&
      Object.hasOwn(options, name) &&
      options[name]!.type === 'string' &&
      next !== undefined &&
      next !== '--' &&
      !isOption(next)
    ) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
