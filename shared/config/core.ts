import { envBool, envEnum, envInt, envList, envPattern, envString, envUrl, parseEnv, type Env } from './env.js';
import type { NotifyConfig } from '../notify/types.js';
import { ConfigError } from './env.js';

export const DEFAULT_CANTON_URL = 'https://canton-rewards.noves.fi/';

/** Everything that is not specific to one alert, with the spec's variable names. */
export const coreShape = {
  CANTON_URL: envUrl(DEFAULT_CANTON_URL),
  CHROMIUM_PATH: envString(),
  SCRAPE_TIMEOUT_SECONDS: envInt(20, 1, 120),
  /** A stored snapshot younger than this is reused, so alerts that run together share one scrape. */
  SNAPSHOT_FRESH_SECONDS: envInt(240, 0, 3600),
  STATE_CHANGE_MODE: envBool(true),

  PUSHOVER_ENABLED: envBool(false),
  PUSHOVER_USER_KEY: envString(),
  PUSHOVER_API_TOKEN: envString(),
  PUSHOVER_API_URL: envUrl('https://api.pushover.net'),

  SLACK_ENABLED: envBool(false),
  SLACK_BOT_TOKEN: envString(),
  SLACK_CHANNELS: envList(),
  /** Slack user ids (U… or W…): a DM goes to the id, a name would fail only at delivery. */
  SLACK_USERS: envList().refine((ids) => ids.every((id) => /^[UW][A-Z0-9]{2,}$/.test(id)), {
    message: 'must be Slack user ids such as U01ABC (not names)',
  }),
  SLACK_API_URL: envUrl(),

  /** Table names are `<prefix>-metrics` etc.; DynamoDB allows letters, digits, `_`, `-` and `.`. */
  TABLE_PREFIX: envPattern('canton-monitor', /^[A-Za-z0-9_.-]{1,200}$/, 'letters, digits, "_", "-" and "."'),
  LOG_LEVEL: envEnum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'], 'INFO'),
  DYNAMODB_ENDPOINT: envUrl(),
  METRICS_RETENTION_DAYS: envInt(400, 1, 3650),
} as const;

export interface CoreConfig {
  canton: { url: string; chromiumPath?: string; timeoutMs: number; freshSeconds: number };
  stateChangeMode: boolean;
  notify: NotifyConfig;
  store: { tablePrefix: string; endpoint?: string; retentionDays: number };
}

export function parseCoreConfig(env: Env): CoreConfig {
  const v = parseEnv(coreShape, env);
  const problems: string[] = [];
  if (v.PUSHOVER_ENABLED && !v.PUSHOVER_USER_KEY) problems.push('PUSHOVER_USER_KEY: is required when PUSHOVER_ENABLED=true');
  if (v.PUSHOVER_ENABLED && !v.PUSHOVER_API_TOKEN) problems.push('PUSHOVER_API_TOKEN: is required when PUSHOVER_ENABLED=true');
  if (v.SLACK_ENABLED && !v.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: is required when SLACK_ENABLED=true');
  if (v.SLACK_ENABLED && v.SLACK_CHANNELS.length + v.SLACK_USERS.length === 0) {
    problems.push(
      'SLACK_CHANNELS: SLACK_ENABLED=true needs at least one channel in SLACK_CHANNELS or user in SLACK_USERS ' +
        '(in .env, quote a value that starts with #: SLACK_CHANNELS="#alerts")',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    canton: {
      url: v.CANTON_URL ?? DEFAULT_CANTON_URL,
      ...(v.CHROMIUM_PATH ? { chromiumPath: v.CHROMIUM_PATH } : {}),
      timeoutMs: v.SCRAPE_TIMEOUT_SECONDS * 1000,
      freshSeconds: v.SNAPSHOT_FRESH_SECONDS,
    },
    stateChangeMode: v.STATE_CHANGE_MODE,
    notify: {
      pushover: {
        enabled: v.PUSHOVER_ENABLED,
        userKey: v.PUSHOVER_USER_KEY,
        apiToken: v.PUSHOVER_API_TOKEN,
        apiUrl: v.PUSHOVER_API_URL ?? 'https://api.pushover.net',
      },
      slack: {
        enabled: v.SLACK_ENABLED,
        botToken: v.SLACK_BOT_TOKEN,
        channels: v.SLACK_CHANNELS,
        users: v.SLACK_USERS,
        ...(v.SLACK_API_URL ? { apiUrl: v.SLACK_API_URL } : {}),
      },
    },
    store: {
      tablePrefix: v.TABLE_PREFIX,
      ...(v.DYNAMODB_ENDPOINT ? { endpoint: v.DYNAMODB_ENDPOINT } : {}),
      retentionDays: v.METRICS_RETENTION_DAYS,
    },
  };
}
