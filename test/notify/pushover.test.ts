import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { deliver } from '../../shared/notify/deliver.js';
import { NO_EXCLUSIONS, type NotifyConfig } from '../../shared/notify/types.js';
import { startFakePushover, type FakePushover } from '../support/fake-pushover.js';
import { PUSHOVER_TOKEN, PUSHOVER_USER, baseConfig, captureOutput, recordingSleep } from './helpers.js';

let fake: FakePushover;
let config: NotifyConfig;

beforeEach(async () => {
  fake = await startFakePushover({ token: PUSHOVER_TOKEN, user: PUSHOVER_USER });
  config = baseConfig();
  config.pushover = { enabled: true, userKey: PUSHOVER_USER, apiToken: PUSHOVER_TOKEN, apiUrl: fake.url };
});
afterEach(async () => {
  await fake.close();
});

const alert = { title: '⚠️ Alert 1: traffic above gross', message: 'Est. traffic 11.75 CC > gross 10.20 CC', priority: 1 as const };

describe('Pushover', () => {
  it('posts the exact title, message and priority with the credentials', async () => {
    const results = await deliver(alert, NO_EXCLUSIONS, config);
    expect(results).toEqual([{ target: 'pushover', ok: true, attempts: 1 }]);
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req).toMatchObject({
      method: 'POST',
      path: '/1/messages.json',
      token: PUSHOVER_TOKEN,
      user: PUSHOVER_USER,
      title: alert.title,
      message: alert.message,
      priority: 1,
      status: 200,
    });
  });

  it('sends reports and recoveries at priority 0', async () => {
    await deliver({ title: 'Status', message: 'All normal', priority: 0 }, NO_EXCLUSIONS, config);
    expect(fake.requests[0]?.priority).toBe(0);
  });

  it('cuts long titles and messages to the limits without breaking emoji, and Pushover accepts them', async () => {
    const title = '⚠️ ' + '🚨'.repeat(300);
    const message = '⚠️ ' + 'Gross dropped 🚨 '.repeat(200);
    const results = await deliver({ title, message, priority: 1 }, NO_EXCLUSIONS, config);
    expect(results[0]?.ok).toBe(true);
    const req = fake.requests[0]!;
    expect(req.status).toBe(200);
    expect([...req.title!].length).toBeLessThanOrEqual(250);
    expect([...req.message!].length).toBeLessThanOrEqual(1024);
    for (const s of [req.title!, req.message!]) {
      expect(s.isWellFormed()).toBe(true);
      expect(s.endsWith('…')).toBe(true);
      // Nothing dangling from a cut emoji: the character before the ellipsis is a whole one.
      expect(s).not.toMatch(/[\uD800-\uDFFF]…$/u);
    }
    expect(req.title!.startsWith('⚠️ 🚨🚨')).toBe(true);
    expect(req.message!.startsWith('⚠️ Gross dropped 🚨')).toBe(true);
  });

  it('does not retry a rejected request (4xx) and reports the status and Pushover’s first error', async () => {
    config.pushover.apiToken = 'a-wrong-application-token-xyz';
    const { calls, sleep } = recordingSleep();
    const out = captureOutput();
    let results;
    try {
      results = await deliver(alert, NO_EXCLUSIONS, config, { sleep });
    } finally {
      out.restore();
    }
    expect(fake.requests).toHaveLength(1);
    expect(calls).toEqual([]);
    expect(results).toEqual([
      { target: 'pushover', ok: false, attempts: 1, error: 'http_400: application token is invalid, see https://pushover.net/api' },
    ]);
    expect(out.text()).toContain('"target":"pushover"');
    expect(out.text()).toContain('application token is invalid');
    expect(out.text()).not.toContain('a-wrong-application-token-xyz');
  });

  it('does not retry 429 (monthly quota) and says so in the log', async () => {
    fake.script({ status: 429 });
    const { calls, sleep } = recordingSleep();
    const out = captureOutput();
    let results;
    try {
      results = await deliver(alert, NO_EXCLUSIONS, config, { sleep });
    } finally {
      out.restore();
    }
    expect(fake.requests).toHaveLength(1);
    expect(calls).toEqual([]);
    expect(results?.[0]).toMatchObject({ ok: false, attempts: 1, error: expect.stringMatching(/^http_429/) });
    expect(out.text()).toMatch(/monthly message quota/);
    expect(out.text()).toMatch(/not retried/);
  });

  it('retries a 5xx after at least 5 s and then succeeds, sending the same message', async () => {
    fake.script({ status: 500 });
    const { calls, sleep } = recordingSleep();
    const results = await deliver(alert, NO_EXCLUSIONS, config, { sleep });
    expect(results).toEqual([{ target: 'pushover', ok: true, attempts: 2 }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBeGreaterThanOrEqual(5000);
    expect(fake.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(fake.requests[1]?.message).toBe(alert.message);
  });

  it('retries a network failure', async () => {
    fake.script({ drop: true });
    const { calls, sleep } = recordingSleep();
    const results = await deliver(alert, NO_EXCLUSIONS, config, { sleep });
    expect(results).toEqual([{ target: 'pushover', ok: true, attempts: 2 }]);
    expect(calls[0]).toBeGreaterThanOrEqual(5000);
  });

  it('gives up after a bounded number of tries, each wait at least 5 s', async () => {
    fake.script({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const { calls, sleep } = recordingSleep();
    const results = await deliver(alert, NO_EXCLUSIONS, config, { sleep, deadline: Date.now() + 60_000 });
    expect(results).toEqual([{ target: 'pushover', ok: false, attempts: 3, error: 'http_503: internal error' }]);
    expect(calls.every((ms) => ms >= 5000)).toBe(true);
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry when the deadline leaves no room for the 5 s wait', async () => {
    fake.script({ status: 502 });
    const { calls, sleep } = recordingSleep();
    const results = await deliver(alert, NO_EXCLUSIONS, config, { sleep, deadline: Date.now() + 3_000 });
    expect(calls).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(results).toEqual([{ target: 'pushover', ok: false, attempts: 1, error: 'http_502: internal error' }]);
  });

  it('reports a connection failure when the server cannot be reached', async () => {
    await fake.close();
    config.pushover.apiUrl = fake.url; // now closed
    const results = await deliver(alert, NO_EXCLUSIONS, config, { deadline: Date.now() + 3_000 });
    expect(results[0]).toMatchObject({ target: 'pushover', ok: false, attempts: 1, error: expect.stringMatching(/^network_error/) });
    fake = await startFakePushover(); // for afterEach
  });
});
