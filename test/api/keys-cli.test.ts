import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startLocalApi } from '../../infra/local/api-server.js';
import type { EmbeddedStore } from '../../infra/local/embedded-store.js';
import { runKeysCli } from '../../infra/cli/keys.js';
import { hashSecret } from '../../shared/api/keys.js';
import { findApiKey } from '../../shared/store/api-keys.js';
import { startTestStore, testRuntime } from '../support/embedded.js';
import { call } from './support.js';

const run = promisify(execFile);
const ROOT = join(process.cwd());
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

let store: EmbeddedStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => {
  await store.close();
});

async function cli(args: string[], rt: Awaited<ReturnType<typeof testRuntime>>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKeysCli(args, { store: rt.store, now: rt.now, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run keys (in process, on the real store)', () => {
  test('create prints each secret once; list and revoke never show one', async () => {
    const rt = await testRuntime(store.endpoint);
    const created = await cli(['create', '--name', 'partner', '--count', '3'], rt);
    expect(created.code).toBe(0);
    expect(created.err).toBe('Created 3 read keys. Each secret is shown only now: store it safely.');
    const lines = created.out.split('\n');
    expect(lines[0]).toMatch(/^ID {16}NAME {7}SCOPE {2}SECRET$/);
    const rows = lines.slice(1).map((l) => l.split(/ +/));
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ['partner-1', 'read'],
      ['partner-2', 'read'],
      ['partner-3', 'read'],
    ]);
    for (const [id, , , secret] of rows) {
      expect(id).toMatch(/^key_[0-9a-f]{12}$/);
      expect(secret).toMatch(/^crm_[A-Za-z0-9_-]{43}$/);
      // Stored under its hash, never in clear.
      const record = await findApiKey(rt.store, secret!);
      expect(record).toEqual({ key_hash: hashSecret(secret!), id, name: expect.any(String), scope: 'read', created_at: '2026-12-03T12:00:00.000Z' });
    }

    const listed = await cli(['list'], rt);
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')).toEqual([
      'ID                NAME       SCOPE  CREATED                   LAST USED  REVOKED',
      ...rows.map(([id, name]) => `${id}  ${name}  read   2026-12-03T12:00:00.000Z  -          -`),
    ]);
    for (const [, , , secret] of rows) expect(listed.out).not.toContain(secret);

    const [victim] = rows;
    expect(await cli(['revoke', victim![0]!], rt)).toEqual({
      code: 0,
      out: `Revoked ${victim![0]} (partner-1); it is refused from now on.`,
      err: '',
    });
    expect(await cli(['revoke', victim![0]!], rt)).toEqual({
      code: 0,
      out: `${victim![0]} (partner-1) was already revoked at 2026-12-03T12:00:00.000Z.`,
      err: '',
    });
    expect(await cli(['revoke', 'key_000000000000'], rt)).toEqual({
      code: 1,
      out: '',
      err: 'No key with ID key_000000000000. "npm run keys -- list" shows the IDs.',
    });
    const json = JSON.parse((await cli(['list', '--json'], rt)).out) as Array<Record<string, unknown>>;
    expect(json[0]).toEqual({
      id: victim![0],
      name: 'partner-1',
      scope: 'read',
      created_at: '2026-12-03T12:00:00.000Z',
      last_used_at: null,
      revoked: true,
      revoked_at: '2026-12-03T12:00:00.000Z',
    });
  });

  test('an admin key, minted here, opens /api/keys; revoked, it is refused on the next request', async () => {
    const rt = await testRuntime(store.endpoint);
    const [admin] = JSON.parse((await cli(['create', '--name', 'ops', '--scope', 'admin', '--json'], rt)).out) as Array<{ id: string; secret: string }>;
    const api = await startLocalApi(rt, 0, { log: () => undefined });
    try {
      expect((await call(api.url, '/api/keys', { 'X-API-Key': admin!.secret })).status).toBe(200);
      await cli(['revoke', admin!.id], rt);
      expect((await call(api.url, '/api/keys', { 'X-API-Key': admin!.secret })).status).toBe(401);
    } finally {
      await api.close();
    }
  });

  test.each([
    [['create'], 'create needs --name NAME (who or what the key is for).'],
    [['create', '--name', 'x', '--scope', 'root'], '--scope must be one of read, admin; got "root".'],
    [['create', '--name', 'x', '--count', '0'], '--count must be a whole number from 1 to 1000; got "0".'],
    [['create', '--name', 'x', '--count', 'many'], '--count must be a whole number from 1 to 1000; got "many".'],
    [['create', '--name', ''], '--name must be 1 to 64 printable characters.'],
    [['revoke'], 'revoke takes exactly one key ID, e.g. revoke key_0123456789ab.'],
    [['rotate'], 'Unknown command "rotate".'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const rt = await testRuntime(store.endpoint);
    const r = await cli(args, rt);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(message);
    expect(r.err).toContain('Usage:');
  });
});

describe('npm run keys (as a command)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keys-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = (extra: Record<string, string>) => {
    const e: Record<string, string> = { PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/tmp' };
    return { ...e, ...extra };
  };

  test('with no store running, it opens the local store in DATA_DIR itself, and the keys persist', async () => {
    const created = await run(TSX, [join(ROOT, 'infra/cli/keys.ts'), 'create', '--name', 'first', '--scope', 'admin'], {
      cwd: dataDir,
      env: env({ DATA_DIR: dataDir }),
    });
    expect(created.stderr).toContain(`Using the local store in ${dataDir}.`);
    const [, row] = created.stdout.trim().split('\n');
    const [id, name, scope, secret] = row!.split(/ +/);
    expect([name, scope]).toEqual(['first', 'admin']);
    expect(secret).toMatch(/^crm_/);

    const listed = await run(TSX, [join(ROOT, 'infra/cli/keys.ts'), 'list'], { cwd: dataDir, env: env({ DATA_DIR: dataDir }) });
    expect(listed.stdout).toContain(`${id}  first  admin`);
    expect(listed.stdout).not.toContain(secret);
  });

  test('with TABLE_NAME_API_KEYS (as for the deployed table) it uses exactly that table', async () => {
    const rt = await testRuntime(store.endpoint);
    const table = rt.store.table('api-keys');
    const created = await run(TSX, [join(ROOT, 'infra/cli/keys.ts'), 'create', '--name', 'deployed', '--json'], {
      cwd: dataDir,
      env: env({ TABLE_NAME_API_KEYS: table, DYNAMODB_ENDPOINT: store.endpoint }),
    });
    expect(created.stderr).toContain(`table ${table}`);
    const [key] = JSON.parse(created.stdout) as Array<{ secret: string; name: string }>;
    expect((await findApiKey(rt.store, key!.secret))?.name).toBe('deployed');
  });
});
