import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startFakePushover, type FakePushover } from '../support/fake-pushover.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { runLocal } from '../support/run-local.js';

// `npm run test-notify` end to end, against local servers speaking the Pushover and Slack contracts.
let pushover: FakePushover;
let slack: FakeSlack;
beforeAll(async () => {
  pushover = await startFakePushover({ token: 'app-token-1', user: 'user-key-1' });
  slack = await startFakeSlack();
});
afterAll(async () => {
  await pushover.close();
  await slack.close();
});

const channels = {
  PUSHOVER_ENABLED: 'true',
  PUSHOVER_API_TOKEN: 'app-token-1',
  PUSHOVER_USER_KEY: 'user-key-1',
  SLACK_ENABLED: 'TRUE',
  SLACK_CHANNELS: '#alerts, #ops',
  SLACK_USERS: 'U01ABC',
};

test('sends "Canton Monitor Test" to every configured channel and user, and says where', async () => {
  const run = await runLocal([], {
    ...channels,
    PUSHOVER_API_URL: pushover.url,
    SLACK_API_URL: slack.url,
    SLACK_BOT_TOKEN: slack.token,
  }, 'infra/local/test-notify.ts');
  expect(run.code).toBe(0);
  expect(pushover.requests.map((r) => [r.title, r.priority, r.status])).toEqual([['Canton Monitor Test', 0, 200]]);
  expect(slack.delivered().map((r) => r.channel).sort()).toEqual(['#alerts', '#ops', 'U01ABC']);
  expect(run.stderr.split('\n').filter(Boolean).sort()).toEqual(
    ['ok     pushover', 'ok     slack:#alerts', 'ok     slack:#ops', 'ok     slack:U01ABC'].sort(),
  );
  expect(run.stderr + run.stdout).not.toContain(slack.token);
});

test('a refused channel is reported and the exit code says so; the others still get it', async () => {
  slack.script('#ops', { error: 'not_in_channel' });
  const run = await runLocal([], {
    ...channels,
    PUSHOVER_API_URL: pushover.url,
    SLACK_API_URL: slack.url,
    SLACK_BOT_TOKEN: slack.token,
  }, 'infra/local/test-notify.ts');
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('FAILED slack:#ops (not_in_channel)');
  expect(run.stderr).toContain('ok     slack:#alerts');
});

test('with no channel configured, the test notification is printed', async () => {
  const run = await runLocal([], {}, 'infra/local/test-notify.ts');
  expect(run.code).toBe(0);
  expect(run.stdout).toBe(
    'Canton Monitor Test\nThis is a test notification from Canton Rewards Monitor. If you can read it, this channel works.\n\n',
  );
});
