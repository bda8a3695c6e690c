import type { CheckContext } from '../../alerting/types.js';
import { ConfigError, envString, envUrl, parseEnv, type Env } from '../../config/env.js';
import { createFaamClient, type FaamClient } from './client.js';

export const FAAM_API_KEY_VARIABLE = 'ALERT6_FAAMVIEW_API_KEY';
export const FAAM_API_URL_VARIABLE = 'ALERT6_FAAMVIEW_API_URL';
export const DEFAULT_FAAM_API_URL = 'https://faamview-backend-production.up.railway.app';

/** Where a test or local run may put its own client (e.g. one with a short timeout). */
export const FAAM_SERVICE = 'faam';

export interface FaamApiConfig {
  url: string;
  /** Undefined when not set; required only once something that calls the API is enabled. */
  apiKey?: string;
}

/** Alerts 6 and 7 share one key and URL (the spec's ALERT6_FAAMVIEW_* variables). */
export function parseFaamApiConfig(env: Env): FaamApiConfig {
  const v = parseEnv({ [FAAM_API_URL_VARIABLE]: envUrl(DEFAULT_FAAM_API_URL), [FAAM_API_KEY_VARIABLE]: envString() }, env);
  const url = v[FAAM_API_URL_VARIABLE] ?? DEFAULT_FAAM_API_URL;
  const apiKey = v[FAAM_API_KEY_VARIABLE];
  return { url, ...(apiKey ? { apiKey } : {}) };
}

/** Start-up check: `requiredBy` names what needs the key, e.g. `ALERT7_ENABLED=true`. */
export function requireFaamApiKey(env: Env, requiredBy: string): void {
  if (!parseFaamApiConfig(env).apiKey) {
    throw new ConfigError([`${FAAM_API_KEY_VARIABLE}: is required when ${requiredBy}`]);
  }
}

/** The client a check uses: an injected one if present, otherwise one built from the variables. */
export function faamClientFor(ctx: CheckContext): FaamClient {
  const injected = ctx.services[FAAM_SERVICE] as FaamClient | undefined;
  if (injected) return injected;
  const config = parseFaamApiConfig(ctx.env);
  if (!config.apiKey) throw new ConfigError([`${FAAM_API_KEY_VARIABLE}: is not set`]);
  return createFaamClient({ baseUrl: config.url, apiKey: config.apiKey, sleep: ctx.sleep });
}
