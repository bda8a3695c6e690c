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

/**
 * The schedule for an interval. Intervals that fit the clock (dividing an hour, or whole hours
 * dividing a day) become cron expressions aligned to it, `offsetMinutes` past the aligned time;
 * any other interval is a plain rate.
 */
export function scheduleExpression(minutes: number, offsetMinutes = 0): string {
  if (minutes === 1) return 'cron(* * * * ? *)';
  if (minutes < 60 && 60 % minutes === 0) return `cron(${offsetMinutes % minutes}/${minutes} * * * ? *)`;
  if (minutes % 60 === 0 && 1440 % minutes === 0) {
    const hours = minutes / 60;
    return `cron(${offsetMinutes % 60} ${hours === 24 ? '0' : `0/${hours}`} * * ? *)`;
  }
  return rateExpression(minutes);
}

/**
 * The Canton-page alerts of one tick share one reading. The first scraping check runs on the
 * aligned minute and scrapes; the others run this much later and reuse its fresh reading instead
 * of each waiting (and paying) for the scrape to finish.
 */
export const SCRAPE_FOLLOWER_OFFSET_MINUTES = 1;
