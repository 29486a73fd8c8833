// Runs diagnoseNotify on the body and options read as JSON from stdin, and prints what the
// parent test compares: the report's cause and each key's status (see raw-rsa-operation.test.ts).
import { readFileSync } from 'node:fs';
import { diagnoseNotify, type DiagnoseNotifyOptions } from '../../../src/diagnose/diagnose-notify.js';

const input = JSON.parse(readFileSync(0, 'utf8')) as { body: string; options: DiagnoseNotifyOptions };
const report = diagnoseNotify(Buffer.from(input.body, 'base64'), input.options);
process.stdout.write(
  JSON.stringify({
    cause: report.cause,
    keys: report.keys.map((k) => ({ status: k.status, hash: k.hash, recoveredDigest: k.recoveredDigest })),
  }),
);
