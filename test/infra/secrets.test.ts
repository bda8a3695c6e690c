/**
 * How functions read their secrets in AWS: one Secrets Manager secret named by SECRETS_ARN, read
 * with the real SDK client (here against a local stand-in), cached per container.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CACHE_TTL_MS, clearSecretsCache, loadSecretsIntoEnv, readSecretValues, SecretsError } from '../../shared/config/secrets.js';
import { startFakeSecretsManager, type FakeSecretsManager } from './support/fake-secrets-manager.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:monitor-AbCdEf';
const NOT_JSON = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:plain-AbCdEf';
const VALUE = { PUSHOVER_USER_KEY: 'uSecretsTestUser000000000000001', SLACK_BOT_TOKEN: 'xoxb-5-6-SecretsTest', UNRELATED: 'ignored', ALERT6_FAAMVIEW_API_KEY: 42 };

let sm: FakeSecretsManager;
const saved = { ...process.env };
beforeAll(async () => {
  sm = await startFakeSecretsManager({ [ARN]: JSON.stringify(VALUE), [NOT_JSON]: 'hunter2-not-json' });
  Object.assign(process.env, { AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  clearSecretsCache();
});
afterAll(async () => {
  process.env = saved;
  await sm.close();
});

describe('loadSecretsIntoEnv', () => {
  test('without SECRETS_ARN (local mode) the environment is used as it is', async () => {
    const env = { PUSHOVER_USER_KEY: 'from-env' };
    expect(await loadSecretsIntoEnv(env)).toBe(env);
    expect(sm.requests).toEqual([]);
  });

  test('fills the secret variables from the secret, and only those', async () => {
    expect(await loadSecretsIntoEnv({ SECRETS_ARN: ARN, PUSHOVER_ENABLED: 'true' })).toEqual({
      SECRETS_ARN: ARN,
      PUSHOVER_ENABLED: 'true',
      PUSHOVER_USER_KEY: VALUE.PUSHOVER_USER_KEY,
      SLACK_BOT_TOKEN: VALUE.SLACK_BOT_TOKEN,
    });
  });

  test('reads the secret once per container while it is fresh', async () => {
    clearSecretsCache();
    const before = sm.requests.length;
    const now = Date.now();
    await readSecretValues(ARN, now);
    await readSecretValues(ARN, now + CACHE_TTL_MS - 1);
    expect(sm.requests.length - before).toBe(1);
    await readSecretValues(ARN, now + CACHE_TTL_MS + 1);
    expect(sm.requests.slice(before)).toEqual([
      { operation: 'GetSecretValue', secretId: ARN },
      { operation: 'GetSecretValue', secretId: ARN },
    ]);
  });

  test('a secret that is not a JSON object, or cannot be read, fails without echoing anything it holds', async () => {
    await expect(loadSecretsIntoEnv({ SECRETS_ARN: NOT_JSON })).rejects.toThrow(
      new SecretsError('The secret named by SECRETS_ARN is not a JSON object of variable names to values'),
    );
    await expect(loadSecretsIntoEnv({ SECRETS_ARN: `${ARN}-gone` })).rejects.toThrow(
      "Could not read the secret named by SECRETS_ARN (ResourceNotFoundException: Secrets Manager can't find the specified secret.)",
    );
    // Failures are not cached: the next invocation tries again.
    const before = sm.requests.length;
    await expect(loadSecretsIntoEnv({ SECRETS_ARN: NOT_JSON })).rejects.toThrow(SecretsError);
    expect(sm.requests.length - before).toBe(1);
  });
});
