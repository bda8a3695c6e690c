import { loadSecretsIntoEnv } from '../config/secrets.js';
import { createRuntime, type Runtime } from '../runtime.js';

let cached: Promise<Runtime> | undefined;

/**
 * One runtime per process (per warm Lambda container): configuration is validated and secrets
 * are fetched once, then reused by every invocation.
 */
export function getRuntime(): Promise<Runtime> {
  cached ??= (async () => createRuntime(await loadSecretsIntoEnv(process.env)))().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

/** For local mode and tests: use this runtime instead of building one from process.env. */
export function setRuntime(rt: Runtime | undefined): void {
  cached = rt ? Promise.resolve(rt) : undefined;
}
