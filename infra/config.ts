import { ALERTS, parseAllChecks } from '../functions/alerts/registry.js';
import { apiShape } from '../shared/api/config.js';
import type { AlertDefinition, CheckConfig } from '../shared/alerting/types.js';
import { coreShape } from '../shared/config/core.js';
import { ConfigError, parseEnv, SECRET_VARIABLES, type Env } from '../shared/config/env.js';
import { FAAM_API_URL_VARIABLE } from '../shared/sources/faam/config.js';
import { deployShape, LOG_RETENTION_DAYS } from './deploy-settings.js';

export { DEFAULT_STACK_NAME, deployShape, readDeployEnv } from './deploy-settings.js';

/**
 * What the AWS stack is built from: the same variables local mode reads (validated by the same
 * schemas, so a bad value fails `cdk synth` before anything is deployed), plus a few settings that
 * only exist in AWS. Secret values are read here only to validate them; they never reach the
 * template (the deploy script stores them in Secrets Manager).
 */

/** Local-mode variables that would be wrong in AWS (an endpoint on localhost, a desktop browser, a name prefix the stack replaces). */
export const LOCAL_ONLY_VARIABLES = ['DYNAMODB_ENDPOINT', 'CHROMIUM_PATH', 'TABLE_PREFIX', 'DATA_DIR', 'PORT', 'STORE_FILE'] as const;

/** Channel settings: only functions that deliver notifications get them (with the secret). */
const CHANNEL_VARIABLE = /^(PUSHOVER|SLACK)_/;

/** Lambda rejects a function whose environment variables exceed 4 KB in total. */
export const LAMBDA_ENV_LIMIT_BYTES = 4096;

export interface PlannedAlert {
  def: AlertDefinition<CheckConfig>;
  /** Every configured check, enabled or not. */
  checks: CheckConfig[];
}

export interface DeployConfig {
  stackName: string;
  alarmEmail?: string;
  logRetentionDays: number;
  api: { rateLimit: number; burstLimit: number };
  /** Every alert in the registry with its configured checks (validated). */
  alerts: PlannedAlert[];
  /** Non-secret variables that were set, by name; the per-function environments are cut from this. */
  settings: Env;
}

const isSet = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

const isSecret = (name: string): boolean => (SECRET_VARIABLES as readonly string[]).includes(name);

/** Variables the product knows and that may be placed in a function's environment. */
function isProductSetting(name: string): boolean {
  if (isSecret(name) || (LOCAL_ONLY_VARIABLES as readonly string[]).includes(name)) return false;
  return name in coreShape || name in apiShape || name === 'LOG_LEVEL' || /^ALERT\d+_/.test(name);
}

/** Validates everything a deployment depends on; every bad variable is reported at once. */
export function buildDeployConfig(env: Env): DeployConfig {
  const problems: string[] = [];
  let deploy: ReturnType<typeof parseDeploySettings> | undefined;
  try {
    deploy = parseDeploySettings(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  let configured: ReturnType<typeof parseAllChecks> = [];
  try {
    configured = parseAllChecks(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || !deploy) throw new ConfigError(problems);

  const byAlert = new Map<string, PlannedAlert>();
  for (const { def, check } of configured) {
    const planned = byAlert.get(def.id) ?? { def, checks: [] };
    planned.checks.push(check);
    byAlert.set(def.id, planned);
  }
  // Alerts without any configured check (e.g. Alert 6 with no instance) still get their function,
  // so that turning them on later is a config change and the console test invoke always exists.
  const alerts = ALERTS.map((def) => byAlert.get(def.id) ?? { def, checks: [] });

  const settings: Env = {};
  for (const [name, value] of Object.entries(env)) {
    if (isSet(value) && isProductSetting(name)) settings[name] = value.trim();
  }
  return { ...deploy, alerts, settings };
}

function parseDeploySettings(env: Env) {
  const v = parseEnv(deployShape, env);
  const problems: string[] = [];
  if (!/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(v.STACK_NAME)) {
    problems.push(`STACK_NAME: must start with a letter and contain only letters, digits and hyphens (at most 40), got "${v.STACK_NAME}"`);
  }
  if (v.ALARM_EMAIL !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.ALARM_EMAIL)) {
    problems.push(`ALARM_EMAIL: must be an email address, got "${v.ALARM_EMAIL}"`);
  }
  if (!LOG_RETENTION_DAYS.includes(v.LOG_RETENTION_DAYS)) {
    problems.push(`LOG_RETENTION_DAYS: must be one of ${LOG_RETENTION_DAYS.join(', ')}, got "${v.LOG_RETENTION_DAYS}"`);
  }
  if (v.API_THROTTLE_BURST_LIMIT < v.API_THROTTLE_RATE_LIMIT) {
    problems.push('API_THROTTLE_BURST_LIMIT: must be at least API_THROTTLE_RATE_LIMIT');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    stackName: v.STACK_NAME,
    ...(v.ALARM_EMAIL ? { alarmEmail: v.ALARM_EMAIL } : {}),
    logRetentionDays: v.LOG_RETENTION_DAYS,
    api: { rateLimit: v.API_THROTTLE_RATE_LIMIT, burstLimit: v.API_THROTTLE_BURST_LIMIT },
  };
}

/** The settings an alert function needs: the core ones, its own (`ALERTn_*`) and the shared FAAM URL. */
export function alertSettings(config: DeployConfig, alertId: string): Env {
  const own = `${alertId.toUpperCase()}_`;
  return pick(config.settings, (name) => name in coreShape || name === 'LOG_LEVEL' || name.startsWith(own) || name === FAAM_API_URL_VARIABLE);
}

/**
 * The settings an API function needs: the core ones without the channels (it never notifies, so it
 * gets no channel secrets either), the API's own, and every alert's (GET /api/alerts lists them).
 */
export function apiSettings(config: DeployConfig): Env {
  return pick(config.settings, (name) => !CHANNEL_VARIABLE.test(name));
}

function pick(settings: Env, keep: (name: string) => boolean): Env {
  return Object.fromEntries(Object.entries(settings).filter(([name]) => keep(name)));
}

/** Size as Lambda counts it: keys and values in UTF-8. */
export function environmentSize(vars: Record<string, string>): number {
  return Object.entries(vars).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

/** The checks that get a schedule. */
export const enabledChecks = (alert: PlannedAlert): CheckConfig[] => alert.checks.filter((c) => c.enabled);
