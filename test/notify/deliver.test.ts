import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { logger } from '../../shared/lambda/logger.js';
import { deliver } from '../../shared/notify/deliver.js';
import { NO_EXCLUSIONS, type NotifyConfig } from '../../shared/notify/types.js';
import { startFakePushover, type FakePushover } from '../support/fake-pushover.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { PUSHOVER_TOKEN, PUSHOVER_USER, baseConfig, captureOutput, recordingSleep } from './helpers.js';

const alert = { title: 'Alert 1: traffic above gross', message: 'Est. traffic 11.75 CC\nGross 10.20 CC', priority: 1 as const };

describe('console channel', () => {
  it('prints title, message and a blank line when no channel is enabled, ignoring exclusions', async () => {
    const written: string[] = [];
    const results = await deliver(alert, { pushover: true, channels: ['#a'], users: ['U1'] }, baseConfig(), {
      write: (t) => void written.push(t),
    });
    expect(results).toEqual([{ target: 'console', ok: true, attempts: 1 }]);
    expect(written.join('')).toBe('Alert 1: traffic above gross\nEst. traffic 11.75 CC\nGross 10.20 CC\n\n');
  });

  it('is not used when a real channel is enabled', async () => {
    const written: string[] = [];
    const c = baseConfig();
    c.slack = { enabled: true, botToken: 'xoxb-x', channels: ['#a'], users: [] };
    const results = await deliver(alert, { pushover: false, channels: ['#a'], users: [] }, c, { write: (t) => void written.push(t) });
    expect(results).toEqual([]);
    expect(written).toEqual([]);
  });
});

describe('routing to Pushover and Slack', () => {
  let pushover: FakePushover;
  let slack: FakeSlack;
  let config: NotifyConfig;

  beforeEach(async () => {
    pushover = await startFakePushover({ token: PUSHOVER_TOKEN, user: PUSHOVER_USER });
    slack = await startFakeSlack();
    config = {
      pushover: { enabled: true, userKey: PUSHOVER_USER, apiToken: PUSHOVER_TOKEN, apiUrl: pushover.url },
      slack: { enabled: true, botToken: slack.token, channels: ['#alerts', '#ops'], users: ['U01ABC', 'U02XYZ'], apiUrl: slack.url },
    };
  });
  afterEach(async () => {
    await Promise.all([pushover.close(), slack.close()]);
  });

  it('delivers to every target by default, once each', async () => {
    const results = await deliver(alert, NO_EXCLUSIONS, config);
    expect(results.map((r) => [r.target, r.ok])).toEqual([
      ['pushover', true],
      ['slack:#alerts', true],
      ['slack:#ops', true],
      ['slack:U01ABC', true],
      ['slack:U02XYZ', true],
    ]);
    expect(pushover.requests).toHaveLength(1);
    expect(slack.delivered().map((r) => r.channel).sort()).toEqual(['#alerts', '#ops', 'U01ABC', 'U02XYZ']);
  });

  it('applies the alert’s exclusions: no Pushover, no excluded channel (by name without #), no excluded DM', async () => {
    const results = await deliver(alert, { pushover: true, channels: ['ops'], users: ['U02XYZ'] }, config);
    expect(results.map((r) => r.target)).toEqual(['slack:#alerts', 'slack:U01ABC']);
    expect(pushover.requests).toHaveLength(0);
    expect(slack.requests.map((r) => r.channel).sort()).toEqual(['#alerts', 'U01ABC']);
  });

  it('a failing target stops neither the others nor causes resends of delivered ones', async () => {
    pushover.script({ status: 500 }, { status: 500 }, { status: 500 });
    slack.script('#ops', { error: 'channel_not_found' });
    const { sleep } = recordingSleep();
    const out = captureOutput();
    let results;
    try {
      results = await deliver(alert, NO_EXCLUSIONS, config, { sleep });
    } finally {
      out.restore();
    }
    expect(results).toEqual([
      { target: 'pushover', ok: false, error: 'http_500: internal error', attempts: 3 },
      { target: 'slack:#alerts', ok: true, attempts: 1 },
      { target: 'slack:#ops', ok: false, error: 'channel_not_found', attempts: 1 },
      { target: 'slack:U01ABC', ok: true, attempts: 1 },
      { target: 'slack:U02XYZ', ok: true, attempts: 1 },
    ]);
    expect(slack.requests).toHaveLength(4);
    expect(slack.delivered().map((r) => r.channel).sort()).toEqual(['#alerts', 'U01ABC', 'U02XYZ']);
  });

  it('never writes a token or user key to the logs, even at DEBUG and on every failure path', async () => {
    const previous = logger.getLevelName();
    logger.setLogLevel('DEBUG');
    const out = captureOutput();
    try {
      // Pushover: rejected (4xx), then a 5xx retried, then a network failure.
      await deliver(alert, NO_EXCLUSIONS, {
        pushover: { ...config.pushover, apiToken: 'aWrongPushoverTokenValue00000' },
        slack: { ...config.slack, enabled: false },
      });
      pushover.script({ status: 500 }, { drop: true });
      await deliver(alert, NO_EXCLUSIONS, config, { sleep: recordingSleep().sleep });
      // Slack: rejected token, 5xx retried by the client, ok:false answers, an unreachable server.
      slack.script('#alerts', { status: 500 });
      slack.script('#ops', { error: 'not_in_channel' });
      await deliver(alert, { pushover: true, channels: [], users: [] }, config);
      await deliver(alert, { pushover: true, channels: [], users: [] }, {
        ...config,
        slack: { ...config.slack, botToken: 'xoxb-1111-2222-wrongwrongwrong' },
      });
      await deliver(alert, { pushover: true, channels: [], users: [] }, {
        ...config,
        slack: { ...config.slack, channels: ['#alerts'], users: [], apiUrl: 'http://127.0.0.1:9/api/' },
      }, { deadline: Date.now() + 4_000 });
    } finally {
      out.restore();
      logger.setLogLevel(previous);
    }
    const logged = out.text();
    // The run did log (failures, retries, deliveries), so the absence below means something.
    expect(logged).toContain('Slack delivery failed');
    expect(logged).toContain('Pushover delivery failed');
    expect(logged).toContain('invalid_auth');
    for (const secret of [slack.token, 'xoxb-1111-2222-wrongwrongwrong', PUSHOVER_TOKEN, PUSHOVER_USER, 'aWrongPushoverTokenValue00000']) {
      expect(logged).not.toContain(secret);
    }
  });
});
