import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv as parseDotEnv } from 'node:util';
import { envInt, envString, envStringDefault, type Env } from '../shared/config/env.js';

/**
 * The settings only the AWS deployment has, and how its configuration is read. Kept apart from
 * the registries so that the deploy and schedules commands start quickly.
 */
export const DEFAULT_STACK_NAME = 'CantonRewardsMonitor';

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Settings that only the AWS deployment has. */
export const deployShape = {
  STACK_NAME: envStringDefault(DEFAULT_STACK_NAME),
  ALARM_EMAIL: envString(),
  LOG_RETENTION_DAYS: envInt(30, 1, 3653),
  API_THROTTLE_RATE_LIMIT: envInt(5, 1, 10000),
  API_THROTTLE_BURST_LIMIT: envInt(10, 1, 5000),
} as const;

/**
 * Reads the configuration the way local mode does: `.env` (or the file named by CANTON_ENV_FILE)
 * when present, with variables already set in the process environment taking precedence.
 */
export function readDeployEnv(cwd = process.cwd(), env: Env = process.env): Env {
  const file = resolve(cwd, env.CANTON_ENV_FILE || '.env');
  const fromFile = existsSync(file) ? parseDotEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...env };
}

/** Schedule names allow letters, digits, `-`, `_` and `.`; check keys use `#` (`alert6#2`). */
export const scheduleName = (checkKey: string): string => checkKey.replace(/[^0-9A-Za-z_.-]/g, '-');

/** The schedule group is named after the stack, so the schedules command finds it from the same config. */
export const scheduleGroupName = (stackName: string): string => stackName;

/** `rate(15 minutes)`, `rate(1 minute)`: exactly the configured interval. */
export const rateExpression = (minutes: number): string => `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
