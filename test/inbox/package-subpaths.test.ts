// alipay-refund-notify/postgres and /mysql resolve from the built package in ESM and CommonJS,
// and neither they nor the core import a database driver, not even for types (`npm test` builds first).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist/esm/inbox/postgres.js'));
const skip = !built && 'dist/ not built (npm run build)';
const EXPECTED = {
  postgres: [
    'DEFAULT_INBOX_RETENTION_MS',
    'DEFAULT_INBOX_TABLE',
    'createPostgresInbox',
    'isNotifyInbox',
    'postgresInboxSql',
  ],
  mysql: ['DEFAULT_INBOX_RETENTION_MS', 'DEFAULT_INBOX_TABLE', 'createMysqlInbox', 'isNotifyInbox', 'mysqlInboxSql'],
};

test('ESM and CommonJS: the same exports, and no driver is loaded', { skip }, () => {
  for (const [sub, names] of Object.entries(EXPECTED)) {
    const spec = JSON.stringify(`alipay-refund-notify/${sub}`);
    const esm = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${spec}); console.log(Object.keys(m).sort().join(','))`],
      { cwd: root, encoding: 'utf8' },
    );
    const cjs = execFileSync(
      process.execPath,
      [
        '-e',
        `const m = require(${spec}); const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](pg|mysql2)[\\\\/]/.test(k)); console.log(Object.keys(m).sort().join(',') + '|' + loaded.length)`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(esm.trim(), names.join(','), sub);
    assert.equal(cjs.trim(), `${names.join(',')}|0`, sub);
  }
});

test('the built files import no driver, not even for types', { skip }, () => {
  for (const format of ['esm', 'cjs']) {
    const dirs = ['', 'adapters', 'inbox', 'store'].map((d) => join(root, 'dist', format, d));
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
        // TSDoc examples import the drivers; only code counts.
        const text = readFileSync(join(dir, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
        assert.doesNotMatch(
          text,
          /(from |require\(|import\()['"](pg|mysql2|knex|@electric-sql\/pglite)['"/]/,
          `${format}/${file}`,
        );
      }
    }
  }
});
