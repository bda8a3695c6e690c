import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { deliver } from '../../shared/notify/deliver.js';
import { formatSlackText } from '../../shared/notify/slack.js';
import { NO_EXCLUSIONS, type NotifyConfig } from '../../shared/notify/types.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { baseConfig, captureOutput } from './helpers.js';

let fake: FakeSlack;
let config: NotifyConfig;

beforeEach(async () => {
  fake = await startFakeSlack();
  config = baseConfig();
  config.slack = { enabled: true, botToken: fake.token, channels: [], users: [], apiUrl: fake.url };
});
afterEach(async () => {
  await fake.close();
});

const alert = { title: 'Alert 1: traffic above gross', message: 'Est. traffic 11.75 CC > gross 10.20 CC', priority: 1 as const };
const expectedText = '*Alert 1: traffic above gross*\n\nEst. traffic 11.75 CC &gt; gross 10.20 CC';

describe('Slack', () => {
  it('formats the title in bold above the message, escaping Slack control characters', () => {
    expect(formatSlackText(alert)).toBe(expectedText);
    expect(formatSlackText({ title: 'A & B', message: '<x>', priority: 0 })).toBe('*A &amp; B*\n\n&lt;x&gt;');
  });

  it('posts chat.postMessage with the bot token to each channel', async () => {
    config.slack.channels = ['#alerts'];
    const results = await deliver(alert, NO_EXCLUSIONS, config);
    expect(results).toEqual([{ target: 'slack:#alerts', ok: true, attempts: 1 }]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'chat.postMessage',
      authorization: `Bearer ${fake.token}`,
      contentType: 'application/x-www-form-urlencoded',
      channel: '#alerts',
      text: expectedText,
    });
  });

  it('keeps going past a channel that fails: first and third delivered exactly once, the error reported', async () => {
    config.slack.channels = ['#alerts', '#private-ops', 'C0123ABCD'];
    fake.script('#private-ops', { error: 'not_in_channel' });
    const out = captureOutput();
    let results;
    try {
      results = await deliver(alert, NO_EXCLUSIONS, config);
    } finally {
      out.restore();
    }
    expect(results).toEqual([
      { target: 'slack:#alerts', ok: true, attempts: 1 },
      { target: 'slack:#private-ops', ok: false, error: 'not_in_channel', attempts: 1 },
      { target: 'slack:C0123ABCD', ok: true, attempts: 1 },
    ]);
    expect(fake.delivered().map((r) => r.channel).sort()).toEqual(['#alerts', 'C0123ABCD']);
    // not_in_channel needs someone to invite the bot; asking again cannot help.
    expect(fake.requests.filter((r) => r.channel === '#private-ops')).toHaveLength(1);
    const logged = out.text();
    expect(logged).toContain('"target":"slack:#private-ops"');
    expect(logged).toContain('"error":"not_in_channel"');
  });

  it.each(['channel_not_found', 'is_archived'])('does not retry %s', async (code) => {
    config.slack.channels = ['#gone'];
    fake.script('#gone', { error: code });
    const out = captureOutput();
    try {
      const results = await deliver(alert, NO_EXCLUSIONS, config);
      expect(results).toEqual([{ target: 'slack:#gone', ok: false, error: code, attempts: 1 }]);
    } finally {
      out.restore();
    }
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry invalid_auth', async () => {
    config.slack.botToken = 'xoxb-not-the-right-token-1234';
    config.slack.channels = ['#alerts'];
    const out = captureOutput();
    let results;
    try {
      results = await deliver(alert, NO_EXCLUSIONS, config);
    } finally {
      out.restore();
    }
    expect(results).toEqual([{ target: 'slack:#alerts', ok: false, error: 'invalid_auth', attempts: 1 }]);
    expect(fake.requests).toHaveLength(1);
    expect(out.text()).not.toContain('xoxb-not-the-right-token-1234');
  });

  it('honours 429 Retry-After through the client and then delivers once', async () => {
    config.slack.channels = ['#alerts'];
    fake.script('#alerts', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const out = captureOutput();
    let results;
    try {
      results = await deliver(alert, NO_EXCLUSIONS, config);
    } finally {
      out.restore();
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(results).toEqual([{ target: 'slack:#alerts', ok: true, attempts: 2 }]);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(fake.delivered()).toHaveLength(1);
  });

  it('does not wait out a Retry-After that runs past the deadline', async () => {
    config.slack.channels = ['#alerts'];
    fake.script('#alerts', { status: 429, retryAfter: 60 });
    const started = Date.now();
    const out = captureOutput();
    let results;
    try {
      results = await deliver(alert, NO_EXCLUSIONS, config, { deadline: Date.now() + 20_000 });
    } finally {
      out.restore();
    }
    expect(Date.now() - started).toBeLessThan(2000);
    expect(results).toEqual([{ target: 'slack:#alerts', ok: false, error: 'rate_limited', attempts: 1 }]);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 5xx through the client and then delivers once', async () => {
    config.slack.channels = ['#alerts'];
    fake.script('#alerts', { status: 500 });
    const out = captureOutput();
    let results;
    try {
      results = await deliver(alert, NO_EXCLUSIONS, config);
    } finally {
      out.restore();
    }
    expect(results).toEqual([{ target: 'slack:#alerts', ok: true, attempts: 2 }]);
    expect(fake.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(fake.delivered()).toHaveLength(1);
  });

  it('does not retry a 5xx when the deadline leaves no room', async () => {
    config.slack.channels = ['#alerts'];
    fake.script('#alerts', { status: 503 }, { status: 503 });
    const out = captureOutput();
    let results;
    try {
      results = await deliver(alert, NO_EXCLUSIONS, config, { deadline: Date.now() + 4_000 });
    } finally {
      out.restore();
    }
    expect(results).toEqual([{ target: 'slack:#alerts', ok: false, error: 'http_503', attempts: 1 }]);
    expect(fake.requests).toHaveLength(1);
  });

  it('sends a direct message by posting to the user id', async () => {
    config.slack.users = ['U01ABC'];
    const results = await deliver(alert, NO_EXCLUSIONS, config);
    expect(results).toEqual([{ target: 'slack:U01ABC', ok: true, attempts: 1 }]);
    expect(fake.delivered()).toHaveLength(1);
    expect(fake.delivered()[0]).toMatchObject({ channel: 'U01ABC', text: expectedText });
  });
});
