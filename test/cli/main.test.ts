// The `alipay-notify` program itself (src/cli/main.ts, run-cli.ts), run as a real child process:
// --help for it and every command, and the exit code 2 of a command line it cannot run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cli } from '../support/cli-harness.js';

describe('usage', { concurrency: true }, () => {
  test('--help works for the program and every command, exit 0', async () => {
    const [top, ...commands] = await Promise.all(
      [['--help'], ...['keygen', 'sign', 'send', 'verify'].map((c) => [c, '--help'])].map((args) => cli(args)),
    );
    assert.equal(top!.code, 0);
    assert.match(top!.stdout, /Usage: alipay-notify <command>/);
    for (const [i, command] of ['keygen', 'sign', 'send', 'verify'].entries()) {
      const r = commands[i]!;
      assert.equal(r.code, 0, command);
      assert.match(r.stdout, new RegExp(`Usage: alipay-notify ${command}`));
      assert.match(r.stdout, /Exit codes:/);
    }
  });

  test('no command, an unknown command or an unknown option is exit 2 with a hint on stderr', async () => {
    const [none, unknown, badOption, ftp, speed] = await Promise.all(
      [
        [],
        ['frobnicate'],
        ['send', 'http://127.0.0.1:1/', '--bogus'],
        ['send', 'ftp://example/'],
        ['send', 'http://127.0.0.1:1/', '--retry', '--speed', '0'],
      ].map((a) => cli(a)),
    );
    for (const r of [none, unknown, badOption, ftp, speed]) assert.equal(r!.code, 2);
    assert.match(unknown!.stderr, /unknown command/);
    assert.match(badOption!.stderr, /send --help/);
  });
});
