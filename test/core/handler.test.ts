import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { handler as alert2Handler } from '../../functions/alerts/alert2.js';
import { handler as alert3Handler } from '../../functions/alerts/alert3.js';
import { setRuntime } from '../../shared/lambda/runtime-cache.js';
import { getState } from '../../shared/store/state-repo.js';
import type { EmbeddedStore } from '../../infra/local/embedded-store.js';
import { metrics, startTestStore, testRuntime } from '../support/embedded.js';

// Console test invokes: the exported Lambda handlers (middy-wrapped) with the documented test
// events, on the real store; the page's figures are supplied in place of a browser scrape.
let store: EmbeddedStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => {
  setRuntime(undefined);
  await store.close();
});

const context = {
  functionName: 'alert',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

test('{"dryRun": true} returns the would-be notification and transition, and sends and writes nothing', async () => {
  const rt = await testRuntime(store.endpoint, {}, { scrape: async () => metrics([20, 15.5], [20, 11.47], [20, 10]) });
  setRuntime(rt);
  const result = await alert3Handler({ dryRun: true }, context);
  expect(result).toEqual({
    alert: 'alert3',
    dryRun: true,
    ok: true,
    checks: [
      {
        check: 'alert3',
        status: 'sent',
        dryRun: true,
        transition: 'normal→triggered',
        notifications: [
          {
            title: 'Canton: Est.Traffic Change >30%!',
            message: 'Network traffic is spiking - more transactions flowing through.\n\nLatest: 15.50 CC\n\nvs 1-Hour Average: ↑ 35.1% ⚠️',
            priority: 1,
          },
        ],
        deliveries: [],
      },
    ],
  });
  expect(rt.printed).toEqual([]);
  expect(await getState(rt.store, 'alert3')).toBeUndefined();
});

test('{} runs the check for real and returns a JSON summary with each delivery', async () => {
  const rt = await testRuntime(store.endpoint, {}, { scrape: async () => metrics([12.53, 10.21], [8.1, 9.5], [16.35, 11.75]) });
  setRuntime(rt);
  const result = await alert2Handler({}, context);
  expect(result.checks[0]).toMatchObject({ check: 'alert2', status: 'sent', deliveries: [{ target: 'console', ok: true }] });
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  expect(rt.printed[0]?.startsWith('Canton Status Report\n✓ Latest Round:\n')).toBe(true);
});

test('a malformed event is refused, naming the field', async () => {
  const rt = await testRuntime(store.endpoint);
  setRuntime(rt);
  await expect(alert2Handler({ dryRun: 'yes' }, context)).rejects.toThrow('Invalid event: dryRun');
  await expect(alert2Handler({ instance: 2 }, context)).rejects.toThrow('alert2 has no instance 2');
});
