/**
 * `npm run bench [-- name …]`: runs each benchmark in a fresh Node process (so cold-start figures
 * are real) and prints their figures. Names: scrape, day, api, bundles (default: all).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ALL = ['scrape', 'day', 'api', 'bundles'];
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL;
const tsx = resolve(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs');
let failed = false;
for (const name of wanted) {
  const file = resolve(import.meta.dirname, `${name}.ts`);
  if (!ALL.includes(name) || !existsSync(file)) {
    process.stderr.write(`Unknown benchmark "${name}"; known: ${ALL.join(', ')}\n`);
    process.exit(2);
  }
  process.stderr.write(`\n== ${name}\n`);
  const run = spawnSync(process.execPath, [tsx, file], { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: 'SILENT' } });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
