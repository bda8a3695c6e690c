import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { alert7 } from '../../functions/alerts/alert7.js';
import { runAlert } from '../../shared/lambda/alert-handler.js';
import { readConcentration } from '../../shared/store/concentration.js';
import type { EmbeddedStore } from '../../infra/local/embedded-store.js';
import { startTestStore } from '../support/embedded.js';
import { startFakeFaam, type FakeFaam } from '../support/fake-faam.js';
import { startFakePushover, type FakePushover } from '../support/fake-pushover.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { faamRuntime, PUSHOVER_TOKEN, PUSHOVER_USER, statsDataset } from './helpers.js';

let store: EmbeddedStore;
let faam: FakeFaam;
beforeAll(async () => {
  [store, faam] = await Promise.all([startTestStore(), startFakeFaam()]);
});
afterEach(() => faam.reset());
afterAll(async () => {
  await Promise.all([store.close(), faam.close()]);
});

/** The figures behind the spec's Alert 7 example: top 5 = 42.15%, top 10 = 68.23%, top 20 = 87.91%. */
const SPEC_ALERT7 = statsDataset(1245832.4, [
  ['cantonloop-mainnet-1', 14.2, 176908.2],
  ['cbtc-network', 12.85, 160090.1],
  ['provider-xyz', 8.91, 110998.4],
  ['node-fortress', 3.61, 44979.3],
  ['canton-pool', 2.58, 32139.1],
  ...[5.5, 5.3, 5.2, 5.1, 4.98].map((p, i): [string, number, number] => [`p${i + 6}`, p, p * 12458]),
  ...[2, 2, 2, 2, 2, 2, 2, 2, 2, 1.68].map((p, i): [string, number, number] => [`p${i + 11}`, p, p * 12458]),
  ['p21', 1.5, 18687],
]);

describe('Alert 7 report', () => {
  test('the spec’s example report, line for line, from a server returning the same figures', async () => {
    faam.setDataset(SPEC_ALERT7);
    const rt = await faamRuntime(store.endpoint, faam, { ALERT7_ENABLED: 'true' }, '2025-12-10T19:00:00Z');
    const result = await runAlert(alert7, {}, rt);
    expect(result.checks).toMatchObject([{ check: 'alert7', status: 'sent' }]);
    expect(result.checks[0]?.notifications[0]?.priority).toBe(0);
    expect(faam.requests).toEqual([
      { path: '/api/v1/stats', keyAccepted: true, limit: '20', from: '2025-12-10T18:00:00Z', to: '2025-12-10T19:00:00Z', status: 200 },
    ]);
    expect(rt.printed).toEqual([
      [
        'Canton: FAAM Concentration Report',
        'Period: Dec 10, 18:00 - Dec 10, 19:00 UTC (1h window)',
        'Network Total: $1,245,832',
        '',
        'Top  5:  42.15%',
        'Top 10:  68.23%',
        'Top 20:  87.91%',
        '',
        'Breakdown (Top 5):',
        '1. cantonloop-mainnet-1: 14.20% ($176,908)',
        '2. cbtc-network: 12.85% ($160,090)',
        '3. provider-xyz: 8.91% ($110,998)',
        '4. node-fortress: 3.61% ($44,979)',
        '5. canton-pool: 2.58% ($32,139)',
        '',
        '',
      ].join('\n'),
    ]);
  });

  test('always sent: the same figures again are reported again', async () => {
    faam.setDataset(SPEC_ALERT7);
    const rt = await faamRuntime(store.endpoint, faam, { ALERT7_ENABLED: 'true' }, '2025-12-10T19:00:00Z');
    await runAlert(alert7, {}, rt);
    rt.advance(60);
    await runAlert(alert7, {}, rt);
    expect(rt.printed).toHaveLength(2);
    expect(rt.printed[1]).toContain('Period: Dec 10, 19:00 - Dec 10, 20:00 UTC (1h window)');
  });

  test('fewer providers than X: N/A with the count; the breakdown says it is short', async () => {
    faam.setDataset(statsDataset(500, [['a', 50, 250], ['b', 30, 150], ['c', 20, 100]]));
    const rt = await faamRuntime(
      store.endpoint,
      faam,
      { ALERT7_ENABLED: 'true', ALERT7_TIME_WINDOW_HOURS: '24', ALERT7_SHOW_TOP_X: '2,5,100', ALERT7_BREAKDOWN_COUNT: '4' },
      '2025-12-10T00:00:00Z',
    );
    await runAlert(alert7, {}, rt);
    expect(faam.requests[0]?.limit).toBe('100');
    expect(rt.printed).toEqual([
      'Canton: FAAM Concentration Report\n' +
        'Period: Dec 9, 00:00 - Dec 10, 00:00 UTC (24h window)\nNetwork Total: $500\n\n' +
        'Top   2:  80.00%\nTop   5:  N/A (only 3 providers)\nTop 100:  N/A (only 3 providers)\n\n' +
        'Breakdown (Top 4):\n1. a: 50.00% ($250)\n2. b: 30.00% ($150)\n3. c: 20.00% ($100)\n(only 3 providers in window)\n\n',
    ]);
  });

  test('an empty window and no breakdown', async () => {
    faam.setDataset(statsDataset(0, []));
    const rt = await faamRuntime(store.endpoint, faam, { ALERT7_ENABLED: 'true', ALERT7_SHOW_TOP_X: '1', ALERT7_BREAKDOWN_COUNT: '0' }, '2025-12-10T00:30:00Z');
    await runAlert(alert7, {}, rt);
    expect(rt.printed).toEqual([
      'Canton: FAAM Concentration Report\nPeriod: Dec 9, 23:30 - Dec 10, 00:30 UTC (1h window)\nNetwork Total: $0\n\nTop 1:  N/A (no providers in window)\n\n',
    ]);
  });

  test('records its figures as history in its own series; a dry run records nothing', async () => {
    faam.setDataset(SPEC_ALERT7);
    const rt = await faamRuntime(store.endpoint, faam, { ALERT7_ENABLED: 'true', ALERT7_SHOW_TOP_X: '5,30' }, '2025-12-10T19:00:00Z');
    await runAlert(alert7, { dryRun: true }, rt);
    expect(await readConcentration(rt.store, 'faam#alert7')).toEqual([]);
    await runAlert(alert7, {}, rt);
    const [record] = await readConcentration(rt.store, 'faam#alert7');
    expect(record).toMatchObject({
      series: 'faam#alert7',
      ts: '2025-12-10T19:00:00.000Z',
      check: 'alert7',
      window_from: '2025-12-10T18:00:00Z',
      window_to: '2025-12-10T19:00:00Z',
      window_hours: 1,
      network_total_usd: 1245832.4,
      provider_count: 21,
      limit: 30,
      shares: [
        { top_x: 5, percent: 42.15, providers_counted: 5 },
        { top_x: 30, percent: 89.41, providers_counted: 21 },
      ],
    });
    expect(record?.providers).toHaveLength(21);
  });

  test('an API failure is told once and its recovery once, to the report’s audience', async () => {
    faam.setDataset(SPEC_ALERT7);
    const rt = await faamRuntime(store.endpoint, faam, { ALERT7_ENABLED: 'true' }, '2025-12-10T19:00:00Z');
    faam.script({ rawBody: JSON.stringify({ success: true, data: [{ provider: 'x::1', rank: 1 }], meta: { network_total: 1 } }) });
    const failed = await runAlert(alert7, {}, rt);
    expect(failed.checks[0]).toMatchObject({ status: 'failed', transition: 'ok→failing' });
    expect(rt.printed[0]).toBe(
      'Canton Monitor ERROR\nThe FAAMView API for the FAAM concentration report (Alert 7) cannot be read.\n' +
        'The FAAMView API response does not have the expected shape: data[0].total_amount: Invalid input: expected number, received undefined; ' +
        'data[0].percent_of_total: Invalid input: expected number, received undefined.\n\n' +
        'Checks keep running on their schedule; you will get one message when it works again.\n\n',
    );
    rt.advance(60);
    await runAlert(alert7, {}, rt);
    expect(rt.printed.map((p) => p.split('\n')[0])).toEqual(['Canton Monitor ERROR', 'Canton Monitor Recovered', 'Canton: FAAM Concentration Report']);
  });
});

describe('Alert 7 audience', () => {
  let pushover: FakePushover;
  let slack: FakeSlack;
  beforeAll(async () => {
    [pushover, slack] = await Promise.all([startFakePushover({ token: PUSHOVER_TOKEN, user: PUSHOVER_USER }), startFakeSlack()]);
  });
  afterAll(async () => {
    await Promise.all([pushover.close(), slack.close()]);
  });

  test('by default reports go to Slack, not to the phone', async () => {
    faam.setDataset(SPEC_ALERT7);
    const rt = await faamRuntime(store.endpoint, faam, {
      ALERT7_ENABLED: 'true',
      PUSHOVER_ENABLED: 'true',
      PUSHOVER_USER_KEY: PUSHOVER_USER,
      PUSHOVER_API_TOKEN: PUSHOVER_TOKEN,
      PUSHOVER_API_URL: pushover.url,
      SLACK_ENABLED: 'true',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.url,
      SLACK_CHANNELS: '#reports',
    });
    const result = await runAlert(alert7, {}, rt);
    expect(result.checks[0]?.deliveries).toEqual([{ target: 'slack:#reports', ok: true, attempts: 1 }]);
    expect(pushover.requests).toEqual([]);
    expect(slack.delivered()[0]?.text?.split('\n').slice(0, 3)).toEqual(['*Canton: FAAM Concentration Report*', '', 'Period: Dec 10, 17:00 - Dec 10, 18:00 UTC (1h window)']);
  });
});
