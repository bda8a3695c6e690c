import type { Env } from './env.js';
import { SECRET_VARIABLES } from './env.js';

/**
 * In AWS the secret variables (Pushover, Slack, FAAM keys) live in one Secrets Manager secret, a
 * JSON object keyed by the same variable names; SECRETS_ARN names it. They are fetched at run time,
 * once per container, and never placed in plain environment variables. Locally, `.env` supplies them.
 */
export async function loadSecretsIntoEnv(env: Env): Promise<Env> {
  const arn = env.SECRETS_ARN;
  if (!arn) return env;
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  let values: Record<string, unknown> = {};
  try {
    values = out.SecretString ? (JSON.parse(out.SecretString) as Record<string, unknown>) : {};
  } catch {
    throw new Error('The secret named by SECRETS_ARN is not a JSON object of variable names to values');
  }
  const merged: Env = { ...env };
  for (const name of SECRET_VARIABLES) {
    const value = values[name];
    if (typeof value === 'string' && value !== '') merged[name] = value;
  }
  return merged;
}
