import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv as parseDotEnv } from 'node:util';
import { parseAllChecks } from '../../functions/alerts/registry.js';
import { coreShape, parseCoreConfig } from '../../shared/config/core.js';
import { ConfigError } from '../../shared/config/env.js';
import { parseChangeCheck } from '../../shared/alerting/check-config.js';

const configError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  test('booleans accept true/false in any case and nothing else', () => {
    const checks = parseAllChecks({ ALERT1_ENABLED: 'False', ALERT2_ENABLED: 'TRUE' });
    expect(checks.find((c) => c.check.key === 'alert1')?.check.enabled).toBe(false);
    expect(checks.find((c) => c.check.key === 'alert2')?.check.enabled).toBe(true);
    expect(configError(() => parseAllChecks({ ALERT1_ENABLED: 'maybe' }))).toContain(
      'ALERT1_ENABLED: must be true or false, got "maybe"',
    );
  });

  test('every bad variable is named at once', () => {
    const message = configError(() =>
      parseAllChecks({ ALERT1_ENABLED: 'yes', ALERT3_THRESHOLD_PERCENT: 'abc', STATE_CHANGE_MODE: '1' }),
    );
    expect(message).toContain('ALERT1_ENABLED');
    expect(message).toContain('ALERT3_THRESHOLD_PERCENT');
    expect(message).toContain('STATE_CHANGE_MODE');
  });

  test('lists tolerate spaces and empty items', () => {
    const core = parseCoreConfig({ SLACK_CHANNELS: ' #a, #b ,,#c ', SLACK_USERS: '' });
    expect(core.notify.slack.channels).toEqual(['#a', '#b', '#c']);
    expect(core.notify.slack.users).toEqual([]);
  });

  test('an empty value means unset, never 0', () => {
    const check = parseChangeCheck({ ALERT3_THRESHOLD_PERCENT: '', ALERT3_INTERVAL_MINUTES: ' ' }, 'alert3', 'x');
    expect(check.thresholdPercent).toBe(30);
    expect(check.intervalMinutes).toBe(15);
  });

  test('comparison period is 1hr, 24hr or both', () => {
    expect(parseChangeCheck({ ALERT4_COMPARISON_PERIOD: 'BOTH' }, 'alert4', 'x').comparisonPeriod).toBe('both');
    expect(configError(() => parseChangeCheck({ ALERT4_COMPARISON_PERIOD: '2hr' }, 'alert4', 'x'))).toContain(
      'ALERT4_COMPARISON_PERIOD: must be one of 1hr, 24hr, both, got "2hr"',
    );
  });

  test('numbers out of range are refused, naming the variable', () => {
    expect(configError(() => parseAllChecks({ ALERT2_INTERVAL_MINUTES: '0' }))).toContain(
      'ALERT2_INTERVAL_MINUTES: must be a whole number from 1 to 10080, got "0"',
    );
    expect(configError(() => parseAllChecks({ ALERT5_THRESHOLD_PERCENT: '-5' }))).toContain('ALERT5_THRESHOLD_PERCENT');
  });

  test('an enabled channel without its credentials stops start-up; secret values are never echoed', () => {
    const message = configError(() => parseCoreConfig({ PUSHOVER_ENABLED: 'true', SLACK_ENABLED: 'true', SLACK_BOT_TOKEN: 'xoxb-secret-1' }));
    expect(message).toContain('PUSHOVER_USER_KEY: is required when PUSHOVER_ENABLED=true');
    expect(message).toContain('SLACK_CHANNELS');
    expect(message).not.toContain('xoxb-secret-1');
  });

  test('a bad URL names CANTON_URL', () => {
    expect(configError(() => parseCoreConfig({ CANTON_URL: 'ftp://x' }))).toContain('CANTON_URL: must be an http(s) URL');
  });

  test('an ALERTn variable no alert has is refused; a bad one does not make its siblings look unknown', () => {
    const message = configError(() => parseAllChecks({ ALERT1_THRESHOLD_PERCENT: '5', ALERT9_ENABLED: 'true' }));
    expect(message).toContain('ALERT1_THRESHOLD_PERCENT: is not a setting of alert1');
    expect(message).toContain('ALERT9_ENABLED: there is no alert9');
    const one = configError(() => parseAllChecks({ ALERT3_INTERVAL_MINUTES: '0', ALERT3_THRESHOLD_PERCENT: '12', ALERT3_COMPARISON_PERIOD: 'both' }));
    expect(one).toBe('Invalid configuration:\n  - ALERT3_INTERVAL_MINUTES: must be a whole number from 1 to 10080, got "0"');
  });

  test('Slack users must be ids; the table prefix must be a valid table name part', () => {
    expect(configError(() => parseCoreConfig({ SLACK_USERS: 'bob' }))).toContain('SLACK_USERS: must be Slack user ids such as U01ABC');
    expect(configError(() => parseCoreConfig({ TABLE_PREFIX: 'bad prefix!' }))).toContain('TABLE_PREFIX: may contain only');
  });

  test('.env.example is a valid configuration that names every core variable', () => {
    const text = readFileSync(resolve(import.meta.dirname, '../../.env.example'), 'utf8');
    const example = parseDotEnv(text) as Record<string, string>;
    expect(parseAllChecks(example).map((c) => c.check.key)).toEqual([
      'alert1', 'alert2', 'alert3', 'alert4', 'alert5', 'alert6#1', 'alert6#2', 'alert7',
    ]);
    expect(parseCoreConfig(example).notify.slack.channels).toEqual(['#alerts', '#ops']);
    for (const name of Object.keys(coreShape)) {
      if (name !== 'DYNAMODB_ENDPOINT' && name !== 'PUSHOVER_API_URL' && name !== 'SLACK_API_URL') expect(text).toContain(`${name}=`);
    }
  });
});
