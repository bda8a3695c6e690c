import { envInt, parseEnv, type Env } from '../config/env.js';

/** The API's own settings, read once per environment. */
export const apiShape = {
  /** /api/status serves the stored snapshot while it is at most this old; older, it scrapes. */
  STATUS_MAX_AGE_SECONDS: envInt(120, 0, 86400),
} as const;

export interface ApiConfig {
  statusMaxAgeSeconds: number;
}

const cache = new WeakMap<Env, ApiConfig>();

export function apiConfig(env: Env): ApiConfig {
  let config = cache.get(env);
  if (!config) {
    const v = parseEnv(apiShape, env);
    config = { statusMaxAgeSeconds: v.STATUS_MAX_AGE_SECONDS };
    cache.set(env, config);
  }
  return config;
}
