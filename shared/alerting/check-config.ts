import { envBool, envEnum, envInt, envList, envNumber, parseEnv, type Env } from '../config/env.js';
import type { CheckConfig } from './types.js';

/** The variables every alert has: ENABLED, INTERVAL_MINUTES and the three exclusions. */
export function commonCheckShape(prefix: string, defaults: { intervalMinutes: number; excludePushover?: boolean }) {
  return {
    [`${prefix}_ENABLED`]: envBool(true),
    [`${prefix}_INTERVAL_MINUTES`]: envInt(defaults.intervalMinutes, 1, 10080),
    [`${prefix}_EXCLUDE_PUSHOVER`]: envBool(defaults.excludePushover ?? false),
    [`${prefix}_EXCLUDE_CHANNELS`]: envList(),
    [`${prefix}_EXCLUDE_USERS`]: envList(),
  };
}

/** Reads the common variables of `prefix` into the shared part of a CheckConfig. */
export function parseCommonCheck(
  env: Env,
  prefix: string,
  base: { key: string; alertId: string; name: string; instance?: number },
  defaults: { intervalMinutes: number; excludePushover?: boolean; enabled?: boolean },
): CheckConfig {
  const shape = commonCheckShape(prefix, defaults);
  if (defaults.enabled === false) shape[`${prefix}_ENABLED`] = envBool(false);
  const v = parseEnv(shape, env) as Record<string, unknown>;
  return {
    ...base,
    enabled: v[`${prefix}_ENABLED`] as boolean,
    intervalMinutes: v[`${prefix}_INTERVAL_MINUTES`] as number,
    exclusions: {
      pushover: v[`${prefix}_EXCLUDE_PUSHOVER`] as boolean,
      channels: v[`${prefix}_EXCLUDE_CHANNELS`] as string[],
      users: v[`${prefix}_EXCLUDE_USERS`] as string[],
    },
  };
}

export const COMPARISON_PERIODS = ['1hr', '24hr', 'both'] as const;
export type ComparisonPeriod = (typeof COMPARISON_PERIODS)[number];

/** Alerts 3–5: a percent-change check with a threshold and a comparison period. */
export interface ChangeCheckConfig extends CheckConfig {
  thresholdPercent: number;
  comparisonPeriod: ComparisonPeriod;
}

export function parseChangeCheck(env: Env, alertId: string, name: string): ChangeCheckConfig {
  const prefix = alertId.toUpperCase();
  const common = parseCommonCheck(env, prefix, { key: alertId, alertId, name }, { intervalMinutes: 15 });
  const v = parseEnv(
    {
      [`${prefix}_THRESHOLD_PERCENT`]: envNumber(30, 0, 100000),
      [`${prefix}_COMPARISON_PERIOD`]: envEnum(COMPARISON_PERIODS, '1hr'),
    },
    env,
  ) as Record<string, unknown>;
  return {
    ...common,
    thresholdPercent: v[`${prefix}_THRESHOLD_PERCENT`] as number,
    comparisonPeriod: v[`${prefix}_COMPARISON_PERIOD`] as ComparisonPeriod,
  };
}
