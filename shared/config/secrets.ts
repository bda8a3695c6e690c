import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Env } from './env.js';
import { SECRET_VARIABLES } from './env.js';

/**
 * In AWS the secret variables (Pushover, Slack, FAAM keys) live in one Secrets Manager secret, a
 * JSON object keyed by the same variable names; SECRETS_ARN names it. They are fetched at run time
 * and never placed in plain environment variables or the template. Locally, `.env` supplies them.
 *
 * A read is cached for CACHE_TTL_MS, so a caller that asks again gets a replaced token within
 * minutes without a call on every invocation. (The handlers' runtime is built once per container,
 * so today they read the secret once per container.)
 */
export const CACHE_TTL_MS = 5 * 60_000;

type SecretValues = Partial<Record<(typeof SECRET_VARIABLES)[number], string>>;

interface CacheEntry {
  expiresAt: number;
  values: Promise<SecretValues>;
}

const cache = new Map<string, CacheEntry>();
let client: SecretsManagerClient | undefined;

/** Raised when the secret cannot be read or is not a JSON object; never carries a value. */
export class SecretsError extends Error {
  override readonly name = 'SecretsError';
}

async function fetchSecretValues(arn: string): Promise<SecretValues> {
  // Loaded on first use: local mode and functions without secrets never load this client.
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  client ??= new SecretsManagerClient({ maxAttempts: 3 });
  let secretString: string | undefined;
  try {
    secretString = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new SecretsError(`Could not read the secret named by SECRETS_ARN (${reason})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString ?? '');
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretsError('The secret named by SECRETS_ARN is not a JSON object of variable names to values');
  }
  const values: SecretValues = {};
  for (const name of SECRET_VARIABLES) {
    const value = (parsed as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.trim() !== '') values[name] = value.trim();
  }
  return values;
}

/** The secret's values, from the cache while it is fresh. A failed read is not cached. */
export function readSecretValues(arn: string, now = Date.now()): Promise<SecretValues> {
  const hit = cache.get(arn);
  if (hit && hit.expiresAt > now) return hit.values;
  const values = fetchSecretValues(arn);
  cache.set(arn, { expiresAt: now + CACHE_TTL_MS, values });
  values.catch(() => {
    if (cache.get(arn)?.values === values) cache.delete(arn);
  });
  return values;
}

/** `env` with the secret variables filled from SECRETS_ARN's secret (unchanged when it is not set). */
export async function loadSecretsIntoEnv(env: Env): Promise<Env> {
  const arn = env.SECRETS_ARN;
  if (!arn) return env;
  return { ...env, ...(await readSecretValues(arn)) };
}

/** Forgets cached values (tests, or after a known rotation). */
export function clearSecretsCache(): void {
  cache.clear();
}
