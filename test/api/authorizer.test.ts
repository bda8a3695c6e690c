import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { MAX_INSTANCES } from '../../functions/alerts/alert6.js';
import { handler as authorizerHandler } from '../../functions/api/authorizer.js';
import { handler as fallbackHandler } from '../../functions/api/fallback.js';
import { ADMIN_PATHS, ROUTES } from '../../functions/api/routes.js';
import { policyAllows, policyFor } from '../../shared/api/auth.js';
import { extractApiKey } from '../../shared/api/keys.js';
import { ALERT6_INSTANCES } from '../../shared/api/series.js';
import { setRuntime } from '../../shared/lambda/runtime-cache.js';
import type { EmbeddedStore } from '../../infra/local/embedded-store.js';
import { startTestStore, testRuntime } from '../support/embedded.js';
import { mintKey, type MintedKey } from './support.js';

// The authorizer and fallback functions invoked as API Gateway invokes them in AWS.
const BASE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123def4/prod';
const context = { awsRequestId: 'req-1', functionName: 'authorizer', getRemainingTimeInMillis: () => 10_000 } as Context;

let store: EmbeddedStore;
let reader: MintedKey;
let admin: MintedKey;
beforeAll(async () => {
  store = await startTestStore();
  const rt = await testRuntime(store.endpoint);
  setRuntime(rt);
  reader = await mintKey(rt.store, rt.now(), 'reader');
  admin = await mintKey(rt.store, rt.now(), 'ops', 'admin');
});
afterAll(async () => {
  setRuntime(undefined);
  await store.close();
});

const requestEvent = (path: string, headers: Record<string, string>): APIGatewayRequestAuthorizerEvent =>
  ({
    type: 'REQUEST',
    methodArn: `${BASE}/GET${path}`,
    resource: path,
    path,
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {},
  }) as unknown as APIGatewayRequestAuthorizerEvent;

describe('the policy covers the whole API, whichever route was called first', () => {
  test('a read key: every GET route except the admin ones', async () => {
    const result = await authorizerHandler(requestEvent('/api/metrics', { 'X-Api-Key': reader.secret }), context);
    expect(result).toEqual({
      principalId: reader.id,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [`${BASE}/GET/*`] },
          { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [`${BASE}/GET/api/keys`] },
        ],
      },
      context: { scope: 'read', key_id: reader.id },
    });
    for (const route of ROUTES) {
      expect([route.path, policyAllows(result.policyDocument, `${BASE}/GET${route.path}`)]).toEqual([route.path, route.scope !== 'admin']);
    }
  });

  test('an admin key: every GET route', async () => {
    const result = await authorizerHandler(requestEvent('/api/status', { authorization: `Bearer ${admin.secret}` }), context);
    expect(result.context).toEqual({ scope: 'admin', key_id: admin.id });
    for (const route of ROUTES) expect(policyAllows(result.policyDocument, `${BASE}/GET${route.path}`)).toBe(true);
    expect(policyAllows(result.policyDocument, `${BASE}/POST/api/metrics`)).toBe(false);
  });

  test('no key or an unknown one: the error API Gateway turns into 401', async () => {
    await expect(authorizerHandler(requestEvent('/api/metrics', {}), context)).rejects.toThrow(/^Unauthorized$/);
    await expect(authorizerHandler(requestEvent('/api/metrics', { 'x-api-key': 'crm_nope' }), context)).rejects.toThrow(/^Unauthorized$/);
  });

  test('a policy is about its own API and stage only', () => {
    const policy = policyFor(`${BASE}/GET/api/metrics`, 'admin', ADMIN_PATHS);
    expect(policyAllows(policy, 'arn:aws:execute-api:eu-west-1:123456789012:otherapi/prod/GET/api/metrics')).toBe(false);
    expect(policyAllows(policy, 'arn:aws:execute-api:eu-west-1:123456789012:abc123def4/dev/GET/api/metrics')).toBe(false);
  });
});

describe('key extraction', () => {
  test.each([
    [{ 'X-API-Key': 'crm_a' }, 'crm_a'],
    [{ 'x-api-key': ' crm_a ' }, 'crm_a'],
    [{ Authorization: 'Bearer crm_a' }, 'crm_a'],
    [{ authorization: 'bearer   crm_a' }, 'crm_a'],
    [{ Authorization: 'Bearer crm_a extra' }, undefined],
    [{ Authorization: 'Token crm_a' }, undefined],
    [{ Authorization: 'crm_a' }, undefined],
    [{ 'X-API-Key': '' }, undefined],
    [{ 'X-API-Key': 'crm_\u00e9' }, undefined],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(extractApiKey(headers)).toBe(expected);
  });

  test('a header repeated in multiValueHeaders is ambiguous', () => {
    expect(extractApiKey({ 'X-API-Key': 'crm_b' }, { 'X-API-Key': ['crm_a', 'crm_b'] })).toBeUndefined();
  });
});

describe('the fallback function (unmatched requests in AWS)', () => {
  const event = (httpMethod: string, path: string) => ({ httpMethod, path, headers: {}, requestContext: {} }) as unknown as APIGatewayProxyEvent;

  test('a known path with another method: 405 with Allow', async () => {
    const r = await fallbackHandler(event('POST', '/api/keys'), context);
    expect(r).toEqual({
      statusCode: 405,
      headers: expect.objectContaining({ Allow: 'GET', 'Content-Type': 'application/json; charset=utf-8' }),
      body: JSON.stringify({ error: 'method_not_allowed', message: 'POST is not allowed here; this endpoint accepts GET.', allowed: ['GET'] }),
    });
  });

  test('an unknown path: 404', async () => {
    const r = await fallbackHandler(event('GET', '/admin'), context);
    expect(r.statusCode).toBe(404);
    expect(JSON.parse(r.body)).toEqual({ error: 'not_found', message: 'No such endpoint. GET /api/schema (with a key) or see the README for the list.' });
  });
});

test('the series registry has one series per possible Alert 6 instance', () => {
  expect(ALERT6_INSTANCES).toBe(MAX_INSTANCES);
});
