import { describe, expect, test } from '@jest/globals';
import { alert6, parseAlert6Checks } from '../../functions/alerts/alert6.js';
import { alert7, parseAlert7Checks } from '../../functions/alerts/alert7.js';
import { ALERTS, parseAllChecks } from '../../functions/alerts/registry.js';
import { ConfigError, type Env } from '../../shared/config/env.js';
import { parseRules } from '../../shared/sources/faam/rules.js';

const KEY = 'faam_test_key_abc123def456ghi789jkl012mno345';

/** The problems a ConfigError lists, or a failure if parsing succeeded. */
function problems(parse: () => unknown): string[] {
  try {
    parse();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('Alert 6 rules', () => {
  test('2:50,3:60 parses to (top X, threshold %) in the order written', () => {
    expect(parseRules('2:50,3:60', 'ALERT6_1_RULES')).toEqual([
      { topX: 2, thresholdPercent: 50 },
      { topX: 3, thresholdPercent: 60 },
    ]);
    expect(parseRules(' 5 : 75.5 , 10:90, ', 'ALERT6_1_RULES')).toEqual([
      { topX: 5, thresholdPercent: 75.5 },
      { topX: 10, thresholdPercent: 90 },
    ]);
  });

  test.each([
    ['2:', 'ALERT6_1_RULES: rule "2:" is incomplete; write TOP_X:PERCENT, e.g. 2:50'],
    ['x:50', 'ALERT6_1_RULES: rule "x:50" has top X "x"; it must be a whole number from 1 to 100'],
    ['0:50', 'ALERT6_1_RULES: rule "0:50" has top X "0"; it must be a whole number from 1 to 100'],
    ['3:150', 'ALERT6_1_RULES: rule "3:150" has threshold "150"; it must be a percentage above 0 and below 100'],
    ['3:0', 'ALERT6_1_RULES: rule "3:0" has threshold "0"; it must be a percentage above 0 and below 100'],
    ['2.5:50', 'ALERT6_1_RULES: rule "2.5:50" has top X "2.5"; it must be a whole number from 1 to 100'],
    ['50', 'ALERT6_1_RULES: rule "50" is not a rule; write TOP_X:PERCENT, e.g. 2:50'],
    ['2:50:3', 'ALERT6_1_RULES: rule "2:50:3" is not a rule; write TOP_X:PERCENT, e.g. 2:50'],
    ['2:50,2:60', 'ALERT6_1_RULES: rule "2:60" repeats top 2; give each top X one threshold'],
  ])('%s stops start-up, naming the variable and the bad token', (rules, message) => {
    expect(problems(() => parseAlert6Checks({ ALERT6_FAAMVIEW_API_KEY: KEY, ALERT6_1_ENABLED: 'true', ALERT6_1_RULES: rules }))).toEqual([
      message,
    ]);
  });

  test('every bad token of every instance is reported at once; a good one never stands in for them', () => {
    expect(
      problems(() =>
        parseAlert6Checks({
          ALERT6_FAAMVIEW_API_KEY: KEY,
          ALERT6_1_ENABLED: 'true',
          ALERT6_1_RULES: '2:50,x:50,3:150',
          ALERT6_4_ENABLED: 'false',
          ALERT6_4_RULES: '2:',
        }),
      ),
    ).toEqual([
      'ALERT6_1_RULES: rule "x:50" has top X "x"; it must be a whole number from 1 to 100',
      'ALERT6_1_RULES: rule "3:150" has threshold "150"; it must be a percentage above 0 and below 100',
      'ALERT6_4_RULES: rule "2:" is incomplete; write TOP_X:PERCENT, e.g. 2:50',
    ]);
  });

  test('an enabled instance without rules is an error', () => {
    expect(problems(() => parseAlert6Checks({ ALERT6_FAAMVIEW_API_KEY: KEY, ALERT6_3_ENABLED: 'true' }))).toEqual([
      'ALERT6_3_RULES: is required when ALERT6_3_ENABLED=true, e.g. 2:50,3:60',
    ]);
    expect(problems(() => parseAlert6Checks({ ALERT6_FAAMVIEW_API_KEY: KEY, ALERT6_3_ENABLED: 'true', ALERT6_3_RULES: ' , ' }))).toEqual([
      'ALERT6_3_RULES: is required when ALERT6_3_ENABLED=true, e.g. 2:50,3:60',
    ]);
  });
});

describe('Alert 6 instances', () => {
  test('an instance exists when any of its variables is set; defaults follow the spec', () => {
    const checks = parseAlert6Checks({ ALERT6_2_RULES: '5:75,10:90' });
    expect(checks).toEqual([
      {
        key: 'alert6#2',
        alertId: 'alert6',
        instance: 2,
        name: 'FAAM Instance 2',
        enabled: false,
        intervalMinutes: 360,
        exclusions: { pushover: false, channels: [], users: [] },
        rules: [
          { topX: 5, thresholdPercent: 75 },
          { topX: 10, thresholdPercent: 90 },
        ],
        windowHours: 24,
      },
    ]);
  });

  test('the spec’s two-instance configuration', () => {
    const env: Env = {
      ALERT6_FAAMVIEW_API_KEY: KEY,
      ALERT6_FAAMVIEW_API_URL: 'https://faamview-backend-production.up.railway.app',
      ALERT6_1_ENABLED: 'true',
      ALERT6_1_NAME: 'Personal Monitor',
      ALERT6_1_RULES: '2:50,3:60',
      ALERT6_1_TIME_WINDOW_HOURS: '24',
      ALERT6_1_INTERVAL_MINUTES: '360',
      ALERT6_1_EXCLUDE_PUSHOVER: 'false',
      ALERT6_1_EXCLUDE_CHANNELS: '',
      ALERT6_1_EXCLUDE_USERS: '',
      ALERT6_2_ENABLED: 'false',
      ALERT6_2_NAME: 'Trading Desk Monitor',
      ALERT6_2_RULES: '5:75,10:90',
      ALERT6_2_TIME_WINDOW_HOURS: '12',
      ALERT6_2_INTERVAL_MINUTES: '60',
      ALERT6_2_EXCLUDE_PUSHOVER: 'true',
      ALERT6_2_EXCLUDE_CHANNELS: '#alerts',
      ALERT6_2_EXCLUDE_USERS: 'U0BOB123',
    };
    const [one, two] = parseAlert6Checks(env);
    expect(one).toMatchObject({ key: 'alert6#1', instance: 1, name: 'Personal Monitor', enabled: true, intervalMinutes: 360, windowHours: 24 });
    expect(two).toMatchObject({
      key: 'alert6#2',
      instance: 2,
      name: 'Trading Desk Monitor',
      enabled: false,
      intervalMinutes: 60,
      windowHours: 12,
      exclusions: { pushover: true, channels: ['#alerts'], users: ['U0BOB123'] },
    });
  });

  test('a disabled instance without rules is not a check; no instance at all is no checks', () => {
    expect(parseAlert6Checks({ ALERT6_5_NAME: 'Later' })).toEqual([]);
    expect(parseAlert6Checks({})).toEqual([]);
  });

  test('an enabled instance needs the API key; the message names the variable', () => {
    expect(problems(() => parseAlert6Checks({ ALERT6_7_ENABLED: 'true', ALERT6_7_RULES: '2:50' }))).toEqual([
      'ALERT6_FAAMVIEW_API_KEY: is required when ALERT6_7_ENABLED=true',
    ]);
    // Only disabled instances: the key can wait until one is enabled.
    expect(parseAlert6Checks({ ALERT6_7_RULES: '2:50' })).toHaveLength(1);
  });

  test('bad instance variables are named; the API key is never echoed', () => {
    const secret = 'faam_live_SECRET_VALUE';
    const errs = problems(() =>
      parseAlert6Checks({
        ALERT6_FAAMVIEW_API_KEY: secret,
        ALERT6_FAAMVIEW_API_URL: 'ftp://example.com',
        ALERT6_1_ENABLED: 'yes',
        ALERT6_1_RULES: '2:50',
        ALERT6_1_TIME_WINDOW_HOURS: '0',
        ALERT6_1_INTERVAL_MINUTES: 'often',
      }),
    );
    expect(errs).toEqual([
      'ALERT6_1_ENABLED: must be true or false, got "yes"',
      'ALERT6_1_INTERVAL_MINUTES: must be a whole number from 1 to 10080, got "often"',
      'ALERT6_1_TIME_WINDOW_HOURS: must be a whole number from 1 to 720, got "0"',
    ]);
    expect(problems(() => parseAlert6Checks({ ALERT6_FAAMVIEW_API_KEY: secret, ALERT6_FAAMVIEW_API_URL: 'ftp://x', ALERT6_1_RULES: '2:50' }))).toEqual([
      'ALERT6_FAAMVIEW_API_URL: must be an http(s) URL, got "ftp://x"',
    ]);
    expect(JSON.stringify(errs)).not.toContain(secret);
  });

  test('variables that belong to no instance are not silently ignored', () => {
    expect(
      problems(() =>
        parseAlert6Checks({
          ALERT6_ENABLED: 'true',
          ALERT6_11_ENABLED: 'true',
          ALERT6_1_RULE: '2:50',
          ALERT6_01_RULES: '2:50',
        }),
      ),
    ).toEqual([
      'ALERT6_ENABLED: is not an Alert 6 variable; Alert 6 is configured per instance (ALERT6_1_ENABLED, ALERT6_1_RULES, …)',
      'ALERT6_11_ENABLED: Alert 6 instances are numbered 1 to 10',
      'ALERT6_1_RULE: is not an Alert 6 instance variable; known: ALERT6_1_ENABLED, ALERT6_1_NAME, ALERT6_1_RULES, ALERT6_1_TIME_WINDOW_HOURS, ALERT6_1_INTERVAL_MINUTES, ALERT6_1_EXCLUDE_PUSHOVER, ALERT6_1_EXCLUDE_CHANNELS, ALERT6_1_EXCLUDE_USERS',
      'ALERT6_01_RULES: Alert 6 instances are numbered 1 to 10',
    ]);
  });
});

describe('Alert 7 configuration', () => {
  test('defaults: off, every 60 min, 1 h window, top 5/10/20, breakdown of 5, no phone', () => {
    expect(parseAlert7Checks({})).toEqual([
      {
        key: 'alert7',
        alertId: 'alert7',
        name: 'FAAM concentration report',
        enabled: false,
        intervalMinutes: 60,
        exclusions: { pushover: true, channels: [], users: [] },
        windowHours: 1,
        showTopX: [5, 10, 20],
        breakdownCount: 5,
      },
    ]);
  });

  test('the spec’s configuration', () => {
    const [check] = parseAlert7Checks({
      ALERT6_FAAMVIEW_API_KEY: KEY,
      ALERT7_ENABLED: 'true',
      ALERT7_INTERVAL_MINUTES: '1440',
      ALERT7_TIME_WINDOW_HOURS: '24',
      ALERT7_SHOW_TOP_X: '3, 10',
      ALERT7_BREAKDOWN_COUNT: '0',
      ALERT7_EXCLUDE_PUSHOVER: 'false',
      ALERT7_EXCLUDE_CHANNELS: '#alerts',
    });
    expect(check).toMatchObject({
      enabled: true,
      intervalMinutes: 1440,
      windowHours: 24,
      showTopX: [3, 10],
      breakdownCount: 0,
      exclusions: { pushover: false, channels: ['#alerts'], users: [] },
    });
  });

  test('bad values and a missing key are named', () => {
    expect(
      problems(() =>
        parseAlert7Checks({ ALERT7_ENABLED: 'true', ALERT7_SHOW_TOP_X: '5,abc,0,5', ALERT7_BREAKDOWN_COUNT: '-1', ALERT7_TIME_WINDOW_HOURS: '1.5' }),
      ),
    ).toEqual([
      'ALERT7_TIME_WINDOW_HOURS: must be a whole number from 1 to 720, got "1.5"',
      'ALERT7_BREAKDOWN_COUNT: must be a whole number from 0 to 100, got "-1"',
      'ALERT7_SHOW_TOP_X: "abc" must be a whole number from 1 to 100',
      'ALERT7_SHOW_TOP_X: "0" must be a whole number from 1 to 100',
      'ALERT7_SHOW_TOP_X: "5" is listed twice',
    ]);
    expect(problems(() => parseAlert7Checks({ ALERT7_ENABLED: 'true' }))).toEqual([
      'ALERT6_FAAMVIEW_API_KEY: is required when ALERT7_ENABLED=true',
    ]);
  });
});

describe('start-up validation of the whole configuration', () => {
  test('Alerts 6 and 7 are registered and their errors are reported with everyone else’s', () => {
    expect(ALERTS.map((a) => a.id)).toEqual(expect.arrayContaining(['alert6', 'alert7']));
    expect(parseAllChecks({ ALERT6_FAAMVIEW_API_KEY: KEY, ALERT6_1_ENABLED: 'true', ALERT6_1_RULES: '2:50', ALERT6_2_RULES: '3:60' })
      .filter((c) => c.def.id === 'alert6' || c.def.id === 'alert7')
      .map((c) => [c.check.key, c.check.enabled])).toEqual([['alert6#1', true], ['alert6#2', false], ['alert7', false]]);
    expect(
      problems(() =>
        parseAllChecks({ ALERT3_THRESHOLD_PERCENT: 'lots', ALERT6_2_ENABLED: 'true', ALERT6_2_RULES: 'x:50', ALERT7_ENABLED: 'true' }),
      ),
    ).toEqual(
      expect.arrayContaining([
        'ALERT6_2_RULES: rule "x:50" has top X "x"; it must be a whole number from 1 to 100',
        'ALERT6_FAAMVIEW_API_KEY: is required when ALERT7_ENABLED=true',
      ]),
    );
  });

  test('the definitions', () => {
    expect([alert6.mode, alert6.scrapes, alert6.defaultIntervalMinutes]).toEqual(['state-change', false, 360]);
    expect([alert7.mode, alert7.scrapes, alert7.defaultIntervalMinutes]).toEqual(['report', false, 60]);
  });
});
