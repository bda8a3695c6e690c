/**
 * API key management:
 *
 *   npm run keys -- create --name NAME [--scope read|admin] [--count N] [--json]
 *   npm run keys -- list [--json]
 *   npm run keys -- revoke ID
 *
 * Store: the local one by default (the running `npm start`'s, or started here on DATA_DIR, default
 * `.data`); DYNAMODB_ENDPOINT names another; with TABLE_NAME_API_KEYS set (and AWS credentials in
 * the environment) the deployed table. Each secret is printed once, when created, and never again.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KEY_SCOPES, type KeyScope } from '../../shared/api/keys.js';
import { coreShape } from '../../shared/config/core.js';
import { ConfigError, parseEnv, type Env } from '../../shared/config/env.js';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyInfo } from '../../shared/store/api-keys.js';
import { createStore, type Store } from '../../shared/store/client.js';
import { tableNameVariable } from '../../shared/store/tables.js';

export interface KeysCliIo {
  store: Store;
  now(): Date;
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `Usage:
  npm run keys -- create --name NAME [--scope read|admin] [--count N] [--json]
  npm run keys -- list [--json]
  npm run keys -- revoke ID`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

const dash = (v: string | null) => v ?? '-';

function parseName(value: string | undefined): string {
  if (value === undefined) throw new UsageError('create needs --name NAME (who or what the key is for).');
  const name = value.trim();
  if (!/^\P{Cc}{1,64}$/u.test(name)) throw new UsageError('--name must be 1 to 64 printable characters.');
  return name;
}

function parseScope(value: string | undefined): KeyScope {
  if (value === undefined) return 'read';
  const hit = KEY_SCOPES.find((s) => s === value.trim().toLowerCase());
  if (!hit) throw new UsageError(`--scope must be one of ${KEY_SCOPES.join(', ')}; got "${value}".`);
  return hit;
}

function parseCount(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^\d{1,4}$/.test(value.trim()) || Number(value) < 1 || Number(value) > 1000) {
    throw new UsageError(`--count must be a whole number from 1 to 1000; got "${value}".`);
  }
  return Number(value);
}

/** Runs one command; returns the process exit code (0 done, 1 failed, 2 bad usage). */
export async function runKeysCli(argv: string[], io: KeysCliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        scope: { type: 'string' },
        count: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    const [command, ...rest] = positionals;
    if (values.help || command === undefined) {
      io.out(USAGE);
      return values.help ? 0 : 2;
    }
    if (command === 'create') {
      if (rest.length > 0) throw new UsageError(`create takes no arguments besides its options; got "${rest.join(' ')}".`);
      const name = parseName(values.name);
      const scope = parseScope(values.scope);
      const count = parseCount(values.count);
      const created: Array<{ secret: string; key: ApiKeyInfo }> = [];
      for (let i = 1; i <= count; i++) {
        created.push(await createApiKey(io.store, { name: count === 1 ? name : `${name}-${i}`, scope, now: io.now() }));
      }
      if (values.json) {
        io.out(JSON.stringify(created.map(({ secret, key }) => ({ ...key, secret })), null, 2));
      } else {
        io.err(`Created ${count} ${scope} key${count === 1 ? '' : 's'}. Each secret is shown only now: store it safely.`);
        io.out(table([['ID', 'NAME', 'SCOPE', 'SECRET'], ...created.map(({ secret, key }) => [key.id, key.name, key.scope, secret])]).join('\n'));
      }
      return 0;
    }
    if (command === 'list') {
      if (rest.length > 0 || values.name || values.scope || values.count) throw new UsageError('list takes no arguments besides --json.');
      const keys = await listApiKeys(io.store);
      if (values.json) io.out(JSON.stringify(keys, null, 2));
      else if (keys.length === 0) io.err('No API keys yet. Create one with: npm run keys -- create --name NAME [--scope admin]');
      else {
        io.out(
          table([
            ['ID', 'NAME', 'SCOPE', 'CREATED', 'LAST USED', 'REVOKED'],
            ...keys.map((k) => [k.id, k.name, k.scope, k.created_at, dash(k.last_used_at), dash(k.revoked_at)]),
          ]).join('\n'),
        );
      }
      return 0;
    }
    if (command === 'revoke') {
      if (rest.length !== 1 || values.name || values.scope || values.count) throw new UsageError('revoke takes exactly one key ID, e.g. revoke key_0123456789ab.');
      const id = rest[0]!;
      const result = await revokeApiKey(io.store, id, io.now());
      if (result.outcome === 'not-found') {
        io.err(`No key with ID ${id}. "npm run keys -- list" shows the IDs.`);
        return 1;
      }
      io.out(
        result.outcome === 'revoked'
          ? `Revoked ${result.key.id} (${result.key.name}); it is refused from now on.`
          : `${result.key.id} (${result.key.name}) was already revoked at ${result.key.revoked_at}.`,
      );
      return 0;
    }
    throw new UsageError(`Unknown command "${command}".`);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

/** The store the CLI talks to, and how to let go of it. */
export async function openKeysStore(env: Env): Promise<{ store: Store; where: string; close(): Promise<void> }> {
  const v = parseEnv({ TABLE_PREFIX: coreShape.TABLE_PREFIX, DYNAMODB_ENDPOINT: coreShape.DYNAMODB_ENDPOINT }, env);
  const deployedTable = env[tableNameVariable('api-keys')];
  if (v.DYNAMODB_ENDPOINT || deployedTable) {
    const store = createStore({ tablePrefix: v.TABLE_PREFIX, retentionDays: 1, ...(v.DYNAMODB_ENDPOINT ? { endpoint: v.DYNAMODB_ENDPOINT } : {}) }, env);
    const where = v.DYNAMODB_ENDPOINT
      ? `the store at ${v.DYNAMODB_ENDPOINT} (table ${store.table('api-keys')})`
      : `table ${store.table('api-keys')} in AWS${env.AWS_REGION ? ` (${env.AWS_REGION})` : ''}`;
    return { store, where, close: async () => store.raw.destroy() };
  }
  const { connectOrStartEmbeddedStore, ensureTables } = await import('../local/embedded-store.js');
  const dataDir = env.DATA_DIR || '.data';
  const embedded = await connectOrStartEmbeddedStore(dataDir);
  const store = createStore({ tablePrefix: v.TABLE_PREFIX, retentionDays: 1, endpoint: embedded.endpoint }, env);
  await ensureTables(store);
  return {
    store,
    where: `the local store in ${dataDir}`,
    close: async () => {
      store.raw.destroy();
      await embedded.close();
    },
  };
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const err = (line: string) => process.stderr.write(`${line}\n`);
  let opened: Awaited<ReturnType<typeof openKeysStore>> | undefined;
  let code: number;
  try {
    opened = await openKeysStore(process.env);
    err(`Using ${opened.where}.`);
    code = await runKeysCli(process.argv.slice(2), {
      store: opened.store,
      now: () => new Date(),
      out: (line) => process.stdout.write(`${line}\n`),
      err,
    });
  } catch (e) {
    err(e instanceof ConfigError ? e.message : `Failed: ${e instanceof Error ? e.message : String(e)}`);
    code = e instanceof ConfigError ? 2 : 1;
  } finally {
    await opened?.close();
  }
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
