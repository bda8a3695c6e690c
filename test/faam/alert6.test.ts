import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { alert6, evaluateConcentration, handler, type Alert6Check } from '../../functions/alerts/alert6.js';
import { runAlert } from '../../shared/lambda/alert-handler.js';
import { setRuntime } from '../../shared/lambda/runtime-cache.js';
import { readConcentration } from '../../shared/store/concentration.js';
import { getState } from '../../shared/store/state-repo.js';
import type { EmbeddedStore } from '../../infra/local/embedded-store.js';
import { startTestStore } from '../support/embedded.js';
import { startFakeFaam, type FakeFaam } from '../support/fake-faam.js';
import { startFakePushover, type FakePushover } from '../support/fake-pushover.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { captureOutput, faamRuntime, PUSHOVER_TOKEN, PUSHOVER_USER, SPEC_ALERT6, statsDataset, WORKED_EXAMPLE } from './helpers.js';

let store: EmbeddedStore;
let faam: FakeFaam;
let pushover: FakePushover;
let slack: FakeSlack;

beforeAll(async () => {
  [store, faam, pushover, slack] = await Promise.all([
    startTestStore(),
    startFakeFaam(),
    startFakePushover({ token: PUSHOVER_TOKEN, user: PUSHOVER_USER }),
    startFakeSlack(),
  ]);
});
afterEach(() => {
  faam.reset();
  pushover.requests.length = 0;
  slack.requests.length = 0;
});
afterAll(async () => {
  await Promise.all([store.close(), faam.close(), pushover.close(), slack.close()]);
});

const channels = () => ({
  PUSHOVER_ENABLED: 'true',
  PUSHOVER_USER_KEY: PUSHOVER_USER,
  PUSHOVER_API_TOKEN: PUSHOVER_TOKEN,
  PUSHOVER_API_URL: pushover.url,
  SLACK_ENABLED: 'true',
  SLACK_BOT_TOKEN: slack.token,
  SLACK_API_URL: slack.url,
  SLACK_CHANNELS: '#alerts,#trading',
});

const ERROR_FOOTER = 'Checks keep running on their schedule; you will get one message when it works again.';

describe('Alert 6 notifications', () => {
  test('the spec’s multi-rule example, line for line, from a server returning the same figures', async () => {
    faam.setDataset(SPEC_ALERT6);
    const rt = await faamRuntime(store.endpoint, faam, {
      ...channels(),
      ALERT6_1_ENABLED: 'true',
      ALERT6_1_NAME: 'Personal Monitor',
      ALERT6_1_RULES: '2:50,3:60,5:75',
      ALERT6_1_TIME_WINDOW_HOURS: '12',
    });
    const result = await runAlert(alert6, {}, rt);
    expect(result.checks).toMatchObject([{ check: 'alert6#1', status: 'sent', transition: 'normal→triggered' }]);

    // One API call for every rule: limit is the largest X, the window ends now.
    expect(faam.requests).toEqual([
      { path: '/api/v1/stats', keyAccepted: true, limit: '5', from: '2025-12-10T06:00:00Z', to: '2025-12-10T18:00:00Z', status: 200 },
    ]);
    expect(pushover.requests).toHaveLength(1);
    expect(pushover.requests[0]).toMatchObject({ title: 'Personal Monitor: Concentration Alert!', priority: 1 });
    expect(pushover.requests[0]?.message).toBe(
      [
        'Period: Dec 10, 06:00 - Dec 10, 18:00 UTC',
        'Network Total: $9,449,838',
        '',
        '⚠️ Top 2: 52.40% > 50% threshold',
        '   1. cantonloop-mainnet-1: 26.05% ($2,460,654)',
        '   2. cbtc-network: 26.35% ($2,489,832)',
        '',
        '✓ Top 3: 58.20% < 60% threshold',
        '',
        '✓ Top 5: 72.10% < 75% threshold',
      ].join('\n'),
    );
    expect(slack.delivered().map((r) => r.channel).sort()).toEqual(['#alerts', '#trading']);
    expect(slack.delivered()[0]?.text).toBe(
      '*Personal Monitor: Concentration Alert!*\n\nPeriod: Dec 10, 06:00 - Dec 10, 18:00 UTC\nNetwork Total: $9,449,838\n\n' +
        '⚠️ Top 2: 52.40% &gt; 50% threshold\n   1. cantonloop-mainnet-1: 26.05% ($2,460,654)\n   2. cbtc-network: 26.35% ($2,489,832)\n\n' +
        '✓ Top 3: 58.20% &lt; 60% threshold\n\n✓ Top 5: 72.10% &lt; 75% threshold',
    );
  });

  test('the spec’s worked example: top 2 = 40.24% over 24 h is below 50%, so no alert', async () => {
    faam.setDataset(WORKED_EXAMPLE);
    const rt = await faamRuntime(store.endpoint, faam, { ALERT6_1_ENABLED: 'true', ALERT6_1_RULES: '2:50' }, '2025-12-10T11:00:00Z');
    const result = await runAlert(alert6, {}, rt);
    expect(result.checks).toMatchObject([{ check: 'alert6#1', status: 'silent', transition: 'normal→normal', notifications: [] }]);
    expect(rt.printed).toEqual([]);
    expect(faam.requests[0]).toMatchObject({ limit: '2', from: '2025-12-09T11:00:00Z', to: '2025-12-10T11:00:00Z' });
    expect(await getState(rt.store, 'alert6#1')).toMatchObject({ state: 'normal' });
    const [record] = await readConcentration(rt.store, 'faam#alert6#1');
    expect(record?.shares).toEqual([{ top_x: 2, percent: 40.2404, providers_counted: 2, threshold_percent: 50, exceeded: false }]);
  });

  test('a multi-rule instance where one rule triggers and the other does not', async () => {
    faam.setDataset(statsDataset(1_000_000, [['a', 25, 250_000], ['b', 20, 200_000], ['c', 12, 120_000], ['d', 3, 30_000]]));
    const rt = await faamRuntime(store.endpoint, faam, { ALERT6_3_ENABLED: 'true', ALERT6_3_NAME: 'Desk', ALERT6_3_RULES: '2:50,3:55' });
    await runAlert(alert6, {}, rt);
    expect(faam.requests[0]?.limit).toBe('3');
    expect(rt.printed).toEqual([
      'Desk: Concentration Alert!\nPeriod: Dec 9, 18:00 - Dec 10, 18:00 UTC\nNetwork Total: $1,000,000\n\n' +
        '✓ Top 2: 45.00% < 50% threshold\n\n' +
        '⚠️ Top 3: 57.00% > 55% threshold\n   1. a: 25.00% ($250,000)\n   2. b: 20.00% ($200,000)\n   3. c: 12.00% ($120,000)\n\n',
    ]);
  });

  test('fewer providers than X: the share over those returned, with the shortfall said', async () => {
    faam.setDataset(statsDataset(1000, [['solo-provider::x', 100, 1000]]));
    const rt = await faamRuntime(store.endpoint, faam, { ALERT6_1_ENABLED: 'true', ALERT6_1_NAME: 'Quiet', ALERT6_1_RULES: '3:60,1:99.5' });
    await runAlert(alert6, {}, rt);
    expect(rt.printed).toEqual([
      'Quiet: Concentration Alert!\nPeriod: Dec 9, 18:00 - Dec 10, 18:00 UTC\nNetwork Total: $1,000\n\n' +
        '⚠️ Top 3: 100.00% > 60% threshold (only 1 provider in window)\n   1. solo-provider: 100.00% ($1,000)\n\n' +
        '⚠️ Top 1: 100.00% > 99.5% threshold\n   1. solo-provider: 100.00% ($1,000)\n\n',
    ]);
  });

  test('exactly at the threshold does not trigger, and says so; a hair above does', async () => {
    const rt = await faamRuntime(store.endpoint, faam, { ALERT6_1_ENABLED: 'true', ALERT6_1_NAME: 'Edge', ALERT6_1_RULES: '2:60' });
    faam.setDataset(statsDataset(100, [['a', 30.1, 30.1], ['b', 30.0, 30]]));
    expect((await runAlert(alert6, {}, rt)).checks[0]).toMatchObject({ status: 'sent', transition: 'normal→triggered' });

    // 30.1 + 29.9 is 60.00000000000001 in floating point; it is exactly 60, not above it.
    rt.advance(360);
    faam.setDataset(statsDataset(100, [['a', 30.1, 30.1], ['b', 29.9, 29.9]]));
    const back = await runAlert(alert6, {}, rt);
    expect(back.checks[0]).toMatchObject({ status: 'sent', transition: 'triggered→normal' });
    expect(rt.printed[1]).toBe(
      'Edge: Concentration Resolved\nEvery rule is back at or below its threshold.\n\n' +
        'Period: Dec 10, 00:00 - Dec 11, 00:00 UTC\nNetwork Total: $100\n\n' +
        '✓ Top 2: 60.00% = 60% threshold (not above it)\n\n',
    );
    expect(back.checks[0]?.notifications[0]?.priority).toBe(0);

    const check = alert6.parseChecks({ ALERT6_1_RULES: '2:60' })[0] as Alert6Check;
    const window = { from: new Date('2025-12-10T00:00:00Z'), to: new Date('2025-12-11T00:00:00Z') };
    const above = evaluateConcentration(
      check,
      { providers: [{ provider: 'a', name: 'a', rank: 1, amountUsd: 1, percent: 30.0001 }, { provider: 'b', name: 'b', rank: 2, amountUsd: 1, percent: 30 }], networkTotalUsd: 2, from: '', to: '', limit: 2 },
      window,
    ).evaluation;
    expect(above).toMatchObject({ triggered: true });
    expect(above.kind === 'condition' && above.alert?.message.split('\n')[3]).toBe('⚠️ Top 2: 60.0001% > 60% threshold');
  });

  test('an empty window says nothing and leaves the state as it was', async () => {
    const rt = await faamRuntime(store.endpoint, faam, { ALERT6_1_ENABLED: 'true', ALERT6_1_RULES: '2:50' });
    faam.setDataset(SPEC_ALERT6);
    await runAlert(alert6, {}, rt);
    rt.advance(360);
    faam.setDataset(statsDataset(0, []));
    expect((await runAlert(alert6, {}, rt)).checks[0]).toMatchObject({ status: 'silent', notifications: [] });
    expect(await getState(rt.store, 'alert6#1')).toMatchObject({ state: 'triggered' });
    expect(rt.printed).toHaveLength(1);
  });
});

describe('Alert 6 instances: state, audiences and events', () => {
  test('two instances with different exclusions keep their own states and audiences, both ways', async () => {
    const rt = await faamRuntime(store.endpoint, faam, {
      ...channels(),
      ALERT6_1_ENABLED: 'true',
      ALERT6_1_NAME: 'Personal Monitor',
      ALERT6_1_RULES: '2:50',
      ALERT6_1_EXCLUDE_CHANNELS: '#trading',
      ALERT6_2_ENABLED: 'true',
      ALERT6_2_NAME: 'Trading Desk Monitor',
      ALERT6_2_RULES: '5:75',
      ALERT6_2_EXCLUDE_PUSHOVER: 'true',
      ALERT6_2_EXCLUDE_CHANNELS: '#alerts',
    });
    const delivered = () => [
      ...pushover.requests.map((r) => `pushover ${r.title} p${r.priority}`),
      ...slack.delivered().map((r) => `${r.channel} ${r.text?.split('\n')[0]}`),
    ];

    // Top 2 = 52.40% > 50%; top 5 = 72.10% < 75%.
    faam.setDataset(SPEC_ALERT6);
    const first = await runAlert(alert6, {}, rt);
    expect(first.checks.map((c) => [c.check, c.status, c.transition])).toEqual([
      ['alert6#1', 'sent', 'normal→triggered'],
      ['alert6#2', 'silent', 'normal→normal'],
    ]);
    expect(delivered()).toEqual(['pushover Personal Monitor: Concentration Alert! p1', '#alerts *Personal Monitor: Concentration Alert!*']);

    // Both above: instance 1 stays quiet (already triggered), instance 2 fires to its own audience only.
    rt.advance(360);
    pushover.requests.length = 0;
    slack.requests.length = 0;
    faam.setDataset(statsDataset(1000, [['a', 30, 300], ['b', 25, 250], ['c', 10, 100], ['d', 8, 80], ['e', 7, 70]]));
    const second = await runAlert(alert6, {}, rt);
    expect(second.checks.map((c) => [c.check, c.status, c.transition])).toEqual([
      ['alert6#1', 'silent', 'triggered→triggered'],
      ['alert6#2', 'sent', 'normal→triggered'],
    ]);
    expect(delivered()).toEqual(['#trading *Trading Desk Monitor: Concentration Alert!*']);

    // Both back below: each instance says so once, at priority 0, to its own audience.
    rt.advance(360);
    pushover.requests.length = 0;
    slack.requests.length = 0;
    faam.setDataset(WORKED_EXAMPLE);
    const third = await runAlert(alert6, {}, rt);
    expect(third.checks.map((c) => [c.check, c.status, c.transition])).toEqual([
      ['alert6#1', 'sent', 'triggered→normal'],
      ['alert6#2', 'sent', 'triggered→normal'],
    ]);
    expect(delivered()).toEqual([
      'pushover Personal Monitor: Concentration Resolved p0',
      '#alerts *Personal Monitor: Concentration Resolved*',
      '#trading *Trading Desk Monitor: Concentration Resolved*',
    ]);
    expect(await getState(rt.store, 'alert6#1')).toMatchObject({ state: 'normal', since: '2025-12-11T06:00:00.000Z', version: 3 });
    expect(await getState(rt.store, 'alert6#2')).toMatchObject({ state: 'normal', since: '2025-12-11T06:00:00.000Z', version: 3 });

    // And quiet after that.
    rt.advance(360);
    pushover.requests.length = 0;
    slack.requests.length = 0;
    expect((await runAlert(alert6, {}, rt)).checks.map((c) => c.status)).toEqual(['silent', 'silent']);
    expect(delivered()).toEqual([]);
  });

  test('STATE_CHANGE_MODE=false repeats the alert on every check while a rule holds', async () => {
    faam.setDataset(SPEC_ALERT6);
    const rt = await faamRuntime(store.endpoint, faam, { STATE_CHANGE_MODE: 'false', ALERT6_1_ENABLED: 'true', ALERT6_1_RULES: '2:50' });
    await runAlert(alert6, {}, rt);
    rt.advance(360);
    await runAlert(alert6, {}, rt);
    expect(rt.printed.map((p) => p.split('\n')[0])).toEqual(['FAAM Instance 1: Concentration Alert!', 'FAAM Instance 1: Concentration Alert!']);
  });

  test('{"instance": 2, "dryRun": true} evaluates only that instance and changes nothing; {"instance": 2} sends', async () => {
    faam.setDataset(SPEC_ALERT6);
    const rt = await faamRuntime(store.endpoint, faam, {
      ALERT6_1_ENABLED: 'true',
      ALERT6_1_RULES: '2:50',
      ALERT6_2_NAME: 'Disabled But Invokable',
      ALERT6_2_RULES: '3:55',
    });
    const dry = await runAlert(alert6, { instance: 2, dryRun: true }, rt);
    expect(dry).toMatchObject({ alert: 'alert6', dryRun: true, ok: true });
    expect(dry.checks).toHaveLength(1);
    expect(dry.checks[0]).toMatchObject({ check: 'alert6#2', status: 'sent', dryRun: true, deliveries: [] });
    expect(dry.checks[0]?.notifications.map((n) => n.title)).toEqual(['Disabled But Invokable: Concentration Alert!']);
    expect(rt.printed).toEqual([]);
    expect(await getState(rt.store, 'alert6#2')).toBeUndefined();
    expect(await readConcentration(rt.store, 'faam#alert6#2')).toEqual([]);

    const real = await runAlert(alert6, { instance: 2 }, rt);
    expect(real.checks.map((c) => [c.check, c.status])).toEqual([['alert6#2', 'sent']]);
    expect(rt.printed.map((p) => p.split('\n')[0])).toEqual(['Disabled But Invokable: Concentration Alert!']);
    expect(faam.requests.map((r) => r.limit)).toEqual(['3', '3']);

    // Without an instance, every enabled instance (only 1 here) is checked.
    const all = await runAlert(alert6, {}, rt);
    expect(all.checks.map((c) => c.check)).toEqual(['alert6#1']);
    await expect(runAlert(alert6, { instance: 9 }, rt)).rejects.toThrow('alert6 has no instance 9');
  });

  test('the Lambda handler takes {"instance": 2, "dryRun": true}', async () => {
    faam.setDataset(SPEC_ALERT6);
    const rt = await faamRuntime(store.endpoint, faam, { ALERT6_2_ENABLED: 'true', ALERT6_2_RULES: '2:50' });
    setRuntime(rt);
    try {
      const context = {
        functionName: 'alert6',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:alert6',
        memoryLimitInMB: '256',
        awsRequestId: 'req-1',
        logGroupName: '/aws/lambda/alert6',
        logStreamName: 'stream',
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => 120_000,
      } as unknown as Context;
      const out = await handler({ instance: 2, dryRun: true }, context);
      expect(out.checks.map((c) => [c.check, c.status, c.notifications[0]?.title])).toEqual([
        ['alert6#2', 'sent', 'FAAM Instance 2: Concentration Alert!'],
      ]);
      expect(rt.printed).toEqual([]);
    } finally {
      setRuntime(undefined);
    }
  });

  test('a duplicated scheduled tick sends once', async () => {
    faam.setDataset(SPEC_ALERT6);
    const rt = await faamRuntime(store.endpoint, faam, { ALERT6_1_ENABLED: 'true', ALERT6_1_RULES: '2:50' });
    const tick = { instance: 1, scheduledTime: '2025-12-10T18:00:00Z' };
    const [a, b] = await Promise.all([runAlert(alert6, tick, rt), runAlert(alert6, tick, rt)]);
    expect([a.checks[0]?.status, b.checks[0]?.status].sort()).toEqual(['duplicate', 'sent']);
    expect(rt.printed).toHaveLength(1);
  });

  test('each check records its figures as history', async () => {
    faam.setDataset(SPEC_ALERT6);
    const rt = await faamRuntime(store.endpoint, faam, {
      ALERT6_1_ENABLED: 'true',
      ALERT6_1_NAME: 'Personal Monitor',
      ALERT6_1_RULES: '2:50,3:60',
      METRICS_RETENTION_DAYS: '30',
    });
    await runAlert(alert6, {}, rt);
    rt.advance(360);
    await runAlert(alert6, {}, rt);
    const records = await readConcentration(rt.store, 'faam#alert6#1');
    expect(records.map((r) => r.ts)).toEqual(['2025-12-10T18:00:00.000Z', '2025-12-11T00:00:00.000Z']);
    expect(records[0]).toEqual({
      series: 'faam#alert6#1',
      ts: '2025-12-10T18:00:00.000Z',
      check: 'alert6#1',
      name: 'Personal Monitor',
      window_from: '2025-12-09T18:00:00Z',
      window_to: '2025-12-10T18:00:00Z',
      window_hours: 24,
      network_total_usd: 9449838.1,
      provider_count: 3,
      limit: 3,
      shares: [
        { top_x: 2, percent: 52.4, providers_counted: 2, threshold_percent: 50, exceeded: true },
        { top_x: 3, percent: 58.2, providers_counted: 3, threshold_percent: 60, exceeded: false },
      ],
      providers: [
        { rank: 1, name: 'cantonloop-mainnet-1', provider: expect.stringMatching(/^cantonloop-mainnet-1::1220/), percent: 26.0501, amount_usd: 2460654.38 },
        { rank: 2, name: 'cbtc-network', provider: expect.stringMatching(/^cbtc-network::1220/), percent: 26.3499, amount_usd: 2489832.1 },
        { rank: 3, name: 'provider-xyz', provider: expect.stringMatching(/^provider-xyz::1220/), percent: 5.8, amount_usd: 548090.6 },
      ],
      expires_at: Date.parse('2025-12-10T18:00:00Z') / 1000 + 30 * 86400,
    });
  });
});

describe('Alert 6 when the FAAMView API fails', () => {
  test('a refused key: one ERROR per instance to that instance’s audience, never the key, then one recovery each', async () => {
    const wrongKey = 'faam_live_WRONG_KEY_must_not_leak_42';
    faam.setDataset(WORKED_EXAMPLE);
    const rt = await faamRuntime(store.endpoint, faam, {
      ...channels(),
      ALERT6_FAAMVIEW_API_KEY: wrongKey,
      ALERT6_1_ENABLED: 'true',
      ALERT6_1_NAME: 'Personal Monitor',
      ALERT6_1_RULES: '2:50',
      ALERT6_1_EXCLUDE_CHANNELS: '#trading',
      ALERT6_2_ENABLED: 'true',
      ALERT6_2_NAME: 'Trading Desk Monitor',
      ALERT6_2_RULES: '5:75',
      ALERT6_2_EXCLUDE_PUSHOVER: 'true',
      ALERT6_2_EXCLUDE_CHANNELS: '#alerts',
    });
    const output = captureOutput();
    let first;
    try {
      first = await runAlert(alert6, {}, rt);
    } finally {
      output.restore();
    }
    expect(first.ok).toBe(false);
    expect(first.checks.map((c) => [c.check, c.status, c.transition])).toEqual([
      ['alert6#1', 'failed', 'ok→failing'],
      ['alert6#2', 'failed', 'ok→failing'],
    ]);
    expect(faam.requests.map((r) => r.status)).toEqual([401, 401]);
    expect(pushover.requests.map((r) => [r.title, r.message, r.priority])).toEqual([
      [
        'Canton Monitor ERROR',
        'The FAAMView API for FAAM instance 1 (Personal Monitor) cannot be read.\n' +
          'The FAAMView API refused the API key (HTTP 401). Check ALERT6_FAAMVIEW_API_KEY.\n\n' +
          ERROR_FOOTER,
        1,
      ],
    ]);
    expect(slack.delivered().map((r) => [r.channel, r.text?.split('\n')[2]])).toEqual([
      ['#alerts', 'The FAAMView API for FAAM instance 1 (Personal Monitor) cannot be read.'],
      ['#trading', 'The FAAMView API for FAAM instance 2 (Trading Desk Monitor) cannot be read.'],
    ]);
    const everything = [output.text(), JSON.stringify(first), ...pushover.requests.map((r) => JSON.stringify(r.fields)), ...slack.requests.map((r) => JSON.stringify(r.params))];
    expect(everything.join('\n')).not.toContain(wrongKey);
    expect(output.text()).toContain('refused the API key');

    // Still refused: no second message.
    rt.advance(360);
    pushover.requests.length = 0;
    slack.requests.length = 0;
    const again = await runAlert(alert6, {}, rt);
    expect(again.checks.map((c) => c.transition)).toEqual(['failing→failing', 'failing→failing']);
    expect(pushover.requests).toEqual([]);
    expect(slack.delivered()).toEqual([]);

    // The key is fixed: each instance says once that it recovered, to its own audience.
    rt.env.ALERT6_FAAMVIEW_API_KEY = faam.apiKey;
    rt.advance(360);
    const fixed = await runAlert(alert6, {}, rt);
    // The summary's transition is the condition's; the recovery shows in what was sent.
    expect(fixed.checks.map((c) => [c.check, c.status, c.notifications.map((n) => n.title)])).toEqual([
      ['alert6#1', 'sent', ['Canton Monitor Recovered']],
      ['alert6#2', 'sent', ['Canton Monitor Recovered']],
    ]);
    expect(pushover.requests.map((r) => [r.title, r.message, r.priority])).toEqual([
      ['Canton Monitor Recovered', 'The FAAMView API for FAAM instance 1 (Personal Monitor) can be read again. Checks are back to normal.', 0],
    ]);
    expect(slack.delivered().map((r) => r.channel)).toEqual(['#alerts', '#trading']);
    expect(await getState(rt.store, 'source#alert6#1')).toMatchObject({ state: 'ok' });
    expect(await getState(rt.store, 'source#alert6#2')).toMatchObject({ state: 'ok' });
  });

  test('one instance’s failure does not touch another: 5xx exhausted for instance 1, instance 2 alerts normally', async () => {
    faam.setDataset(SPEC_ALERT6);
    const rt = await faamRuntime(store.endpoint, faam, {
      ALERT6_1_ENABLED: 'true',
      ALERT6_1_RULES: '2:50',
      ALERT6_2_ENABLED: 'true',
      ALERT6_2_RULES: '2:50',
    });
    faam.script({ status: 500 }, { status: 502 }, { status: 503 });
    const result = await runAlert(alert6, {}, rt);
    expect(result.checks.map((c) => [c.check, c.status])).toEqual([
      ['alert6#1', 'failed'],
      ['alert6#2', 'sent'],
    ]);
    expect(rt.waits).toEqual([2000, 4000]);
    expect(rt.printed).toEqual([
      'Canton Monitor ERROR\nThe FAAMView API for FAAM instance 1 (FAAM Instance 1) cannot be read.\n' +
        'The FAAMView API answered HTTP 503 (Internal Server Error: fake failure) on 3 attempts.\n\n' +
        `${ERROR_FOOTER}\n\n`,
      expect.stringMatching(/^FAAM Instance 2: Concentration Alert!\n/),
    ]);
    // The failed instance's condition state was not touched.
    expect(await getState(rt.store, 'alert6#1')).toBeUndefined();
  });

  test('429 is waited out through the runtime’s sleep and the check goes on', async () => {
    faam.setDataset(SPEC_ALERT6);
    const rt = await faamRuntime(store.endpoint, faam, { ALERT6_1_ENABLED: 'true', ALERT6_1_RULES: '2:50' });
    faam.script({ status: 429, retryAfter: '30' });
    const result = await runAlert(alert6, {}, rt);
    expect(result.checks[0]).toMatchObject({ status: 'sent', transition: 'normal→triggered' });
    expect(rt.waits).toEqual([30_000]);
    expect(faam.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  test('malformed JSON is reported as such, once, and recovery follows', async () => {
    faam.setDataset(WORKED_EXAMPLE);
    const rt = await faamRuntime(store.endpoint, faam, { ALERT6_1_ENABLED: 'true', ALERT6_1_RULES: '2:50' });
    faam.script({ rawBody: '<html>Bad Gateway</html>' });
    const result = await runAlert(alert6, {}, rt);
    expect(result.checks[0]).toMatchObject({ status: 'failed', transition: 'ok→failing' });
    expect(rt.printed[0]).toMatch(
      /^Canton Monitor ERROR\nThe FAAMView API for FAAM instance 1 \(FAAM Instance 1\) cannot be read\.\nThe FAAMView API answered HTTP 200 with malformed JSON \(.+\)\.\n\n/,
    );
    rt.advance(360);
    const back = await runAlert(alert6, {}, rt);
    expect(back.checks[0]).toMatchObject({ status: 'sent', transition: 'normal→normal' });
    expect(rt.printed[1]).toBe(
      'Canton Monitor Recovered\nThe FAAMView API for FAAM instance 1 (FAAM Instance 1) can be read again. Checks are back to normal.\n\n',
    );
    expect(rt.printed).toHaveLength(2);
  });
});
