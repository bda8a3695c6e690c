import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ROUTES } from '../../functions/api/routes.js';
import { FORBIDDEN_BODY, NOT_FOUND_BODY, UNAUTHORIZED_BODY } from '../../shared/api/responses.js';
import { revokeApiKey } from '../../shared/store/api-keys.js';
import { asKey, call, mintKey, startApi, type ApiFixture, type MintedKey } from './support.js';

// The auth matrix through the local server: the same authorizer code and policy as in AWS, then the handler.
let f: ApiFixture;
let reader: MintedKey;
let admin: MintedKey;
let revoked: MintedKey;

const KEY_ROUTES = ROUTES.filter((r) => r.scope !== 'public').map((r) => r.path);
const READ_ROUTES = ROUTES.filter((r) => r.scope === 'read' && r.name !== 'status').map((r) => r.path);

beforeAll(async () => {
  f = await startApi();
  reader = await mintKey(f.rt.store, f.rt.now(), 'reader');
  admin = await mintKey(f.rt.store, f.rt.now(), 'ops', 'admin');
  revoked = await mintKey(f.rt.store, f.rt.now(), 'old');
  await revokeApiKey(f.rt.store, revoked.id, f.rt.now());
});
afterAll(async () => {
  await f.close();
});

test('at start, with no key in the store, the server says how to mint the first one', () => {
  expect(f.startup).toEqual([
    'No API key exists yet. Mint an admin key with:  npm run keys -- create --name admin --scope admin',
    `then call e.g.:  curl -H "X-API-Key: <the printed key>" ${f.api.url}/api/status`,
  ]);
});

test('/health needs no key', async () => {
  const r = await f.get('/health');
  expect(r.status).toBe(200);
  expect(r.json).toEqual({ status: 'ok', store: 'ok', time: '2026-12-03T12:00:00.000Z' });
  expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(r.headers['cache-control']).toBe('no-store');
});

describe.each(KEY_ROUTES)('%s refuses callers without a valid key', (path) => {
  test.each([
    ['no key', {}],
    ['an unknown key', { 'X-API-Key': 'crm_notakeythatexists' }],
    ['an unknown bearer token', { Authorization: 'Bearer crm_notakeythatexists' }],
    ['a key in the wrong scheme', { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['an empty bearer token', { Authorization: 'Bearer ' }],
  ])('%s: 401', async (_label, headers) => {
    const r = await f.get(path, headers);
    expect(r.status).toBe(401);
    expect(r.json).toEqual(UNAUTHORIZED_BODY);
  });

  test('a revoked key: 401', async () => {
    const r = await f.get(path, asKey(revoked));
    expect(r.status).toBe(401);
    expect(r.json).toEqual(UNAUTHORIZED_BODY);
  });

  test('a valid key in the query string only: 401 (keys are read from headers only)', async () => {
    const r = await f.get(`${path}?api_key=${encodeURIComponent(admin.secret)}`);
    expect(r.status).toBe(401);
    expect(r.json).toEqual(UNAUTHORIZED_BODY);
  });
});

describe.each(READ_ROUTES)('%s accepts a read key', (path) => {
  test.each([
    ['X-API-Key', (k: MintedKey) => ({ 'X-API-Key': k.secret })],
    ['x-api-key', (k: MintedKey) => ({ 'x-api-key': k.secret })],
    ['X-API-KEY', (k: MintedKey) => ({ 'X-API-KEY': k.secret })],
    ['Authorization: Bearer', (k: MintedKey) => ({ Authorization: `Bearer ${k.secret}` })],
    ['authorization: bearer', (k: MintedKey) => ({ authorization: `bearer ${k.secret}` })],
    ['AUTHORIZATION: BEARER', (k: MintedKey) => ({ AUTHORIZATION: `BEARER ${k.secret}` })],
  ])('in %s', async (_label, headers) => {
    const r = await f.get(path, headers(reader));
    expect(r.status).toBe(200);
  });

  test('and an admin key', async () => {
    expect((await f.get(path, asKey(admin))).status).toBe(200);
  });
});

describe('/api/keys (admin only)', () => {
  test('a read key gets 403, in either header style', async () => {
    for (const headers of [asKey(reader), { authorization: `Bearer ${reader.secret}` }]) {
      const r = await f.get('/api/keys', headers);
      expect(r.status).toBe(403);
      expect(r.json).toEqual(FORBIDDEN_BODY);
    }
  });

  test('an admin key lists every key without any secret or hash', async () => {
    const r = await f.get('/api/keys', { authorization: `Bearer ${admin.secret}` });
    expect(r.status).toBe(200);
    const at = '2026-12-03T12:00:00.000Z';
    expect(r.json).toEqual({
      count: 3,
      keys: [
        { id: revoked.id, name: 'old', scope: 'read', created_at: at, last_used_at: null, revoked: true, revoked_at: at },
        { id: admin.id, name: 'ops', scope: 'admin', created_at: at, last_used_at: at, revoked: false, revoked_at: null },
        { id: reader.id, name: 'reader', scope: 'read', created_at: at, last_used_at: at, revoked: false, revoked_at: null },
      ],
    });
    for (const k of [reader, admin, revoked]) expect(r.text).not.toContain(k.secret);
    expect(r.text).not.toMatch(/key_hash|[0-9a-f]{64}/);
  });
});

describe('ambiguous or malformed credentials', () => {
  test('X-API-Key sent twice is refused even if both copies are valid', async () => {
    const r = await f.get('/api/schema', { 'X-API-Key': [reader.secret, reader.secret] });
    expect(r.status).toBe(401);
  });

  test('X-API-Key wins over Authorization: a bad X-API-Key is not rescued by a good bearer token', async () => {
    const r = await f.get('/api/schema', { 'X-API-Key': 'crm_wrong', Authorization: `Bearer ${admin.secret}` });
    expect(r.status).toBe(401);
  });

  test('an absurdly long key is refused without a lookup error', async () => {
    const r = await f.get('/api/schema', { 'X-API-Key': 'x'.repeat(5000) });
    expect(r.status).toBe(401);
    expect(r.json).toEqual(UNAUTHORIZED_BODY);
  });
});

describe('unknown paths and wrong methods are JSON, key or not', () => {
  test.each([
    ['/nope', {}],
    ['/api', {}],
    ['/api/metrics/oldest', {}],
    ['/api/keys/123', {}],
    ['/nope', { 'X-API-Key': 'crm_x' }],
  ])('GET %s: 404', async (path, headers) => {
    const r = await f.get(path, headers);
    expect(r.status).toBe(404);
    expect(r.json).toEqual(NOT_FOUND_BODY);
  });

  test.each([
    ['POST', '/api/metrics'],
    ['DELETE', '/api/keys'],
    ['PUT', '/health'],
    ['HEAD', '/api/status'],
  ])('%s %s: 405 with Allow: GET', async (method, path) => {
    const r = await call(f.api.url, path, asKey(admin), method);
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET');
    if (method !== 'HEAD') {
      expect(r.json).toEqual({
        error: 'method_not_allowed',
        message: `${method} is not allowed here; this endpoint accepts GET.`,
        allowed: ['GET'],
      });
    }
  });

  test('a trailing slash reaches the same endpoint', async () => {
    expect((await f.get('/api/schema/', asKey(reader))).status).toBe(200);
  });
});
