import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { alert1 } from '../../functions/alerts/alert1.js';
import { alert2 } from '../../functions/alerts/alert2.js';
import { alert3 } from '../../functions/alerts/alert3.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { runAlert } from '../../shared/lambda/alert-handler.js';
import { getState } from '../../shared/store/state-repo.js';
import { readSnapshot } from '../../shared/store/snapshots.js';
import type { CantonMetrics } from '../../shared/sources/canton/metrics.js';
import type { EmbeddedStore } from '../../infra/local/embedded-store.js';
import { metrics, startTestStore, testRuntime } from '../support/embedded.js';

// These tests run the real pipeline against dynalite over HTTP and the console channel; the
// Canton figures are supplied in place of a browser scrape (the scraper has its own tests).
let store: EmbeddedStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => {
  await store.close();
});

/** A runtime whose "page" shows `current` figures, counting how often it was read. */
async function setup(env: Record<string, string> = {}) {
  const page = { current: metrics([12.1, 15.23], [13.2, 14.5], [16.35, 11.75]) as CantonMetrics | Error, reads: 0 };
  const rt = await testRuntime(store.endpoint, env, {
    scrape: async () => {
      page.reads += 1;
      if (page.current instanceof Error) throw page.current;
      return page.current;
    },
  });
  const advance = (minutes: number) => {
    rt.clock.now = new Date(rt.clock.now.getTime() + minutes * 60_000);
  };
  return { rt, page, advance };
}

const SPIKE = metrics([20, 15.5], [20, 11.47], [20, 10]);
const CALM = metrics([20, 11.5], [20, 11.47], [20, 10]);

describe('state-change mode (Alert 3) against the real store', () => {
  test('normal→triggered sends, triggered→triggered is silent, triggered→normal sends the recovery, normal→normal is silent', async () => {
    const { rt, page, advance } = await setup();
    page.current = SPIKE;
    const first = await runAlert(alert3, {}, rt);
    expect(first.checks[0]).toMatchObject({ status: 'sent', transition: 'normal→triggered' });
    expect(rt.printed).toEqual([
      'Canton: Est.Traffic Change >30%!\nNetwork traffic is spiking - more transactions flowing through.\n\nLatest: 15.50 CC\n\nvs 1-Hour Average: ↑ 35.1% ⚠️\n\n',
    ]);

    advance(15);
    expect((await runAlert(alert3, {}, rt)).checks[0]).toMatchObject({ status: 'silent', transition: 'triggered→triggered' });
    expect(rt.printed).toHaveLength(1);

    advance(15);
    page.current = CALM;
    const back = await runAlert(alert3, {}, rt);
    expect(back.checks[0]).toMatchObject({ status: 'sent', transition: 'triggered→normal' });
    expect(back.checks[0]?.notifications[0]).toMatchObject({ title: 'Canton: Est.Traffic Change Returned to Benchmark', priority: 0 });
    expect(rt.printed[1]).toMatch(/^Canton: Est.Traffic Change Returned to Benchmark\nEst.Traffic is back within 30% of its average\./);

    advance(15);
    expect((await runAlert(alert3, {}, rt)).checks[0]).toMatchObject({ status: 'silent', transition: 'normal→normal' });
    expect(rt.printed).toHaveLength(2);
    expect(await getState(rt.store, 'alert3')).toMatchObject({ state: 'normal', since: '2026-12-03T12:30:00.000Z', version: 4 });
  });

  test('STATE_CHANGE_MODE=false sends on every check while triggered', async () => {
    const { rt, page, advance } = await setup({ STATE_CHANGE_MODE: 'false' });
    page.current = SPIKE;
    await runAlert(alert3, {}, rt);
    advance(15);
    await runAlert(alert3, {}, rt);
    expect(rt.printed).toHaveLength(2);
  });

  test('a dry run evaluates and reports but sends and writes nothing', async () => {
    const { rt, page } = await setup();
    page.current = SPIKE;
    const result = await runAlert(alert3, { dryRun: true }, rt);
    expect(result).toMatchObject({ alert: 'alert3', dryRun: true, ok: true });
    expect(result.checks[0]).toMatchObject({ status: 'sent', transition: 'normal→triggered', deliveries: [] });
    expect(result.checks[0]?.notifications[0]?.title).toBe('Canton: Est.Traffic Change >30%!');
    expect(rt.printed).toEqual([]);
    expect(await getState(rt.store, 'alert3')).toBeUndefined();
  });
});

describe('concurrency and duplicates', () => {
  test('the embedded store really rejects the second of two version-conditioned writes', async () => {
    const { rt } = await setup();
    const table = rt.store.table('state');
    await rt.store.doc.send(new PutCommand({ TableName: table, Item: { pk: 'race', version: 1 } }));
    const attempt = (by: string) =>
      rt.store.doc.send(new PutCommand({
        TableName: table, Item: { pk: 'race', version: 2, by },
        ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 1 },
      })).then(() => 'won', (err: Error) => err.name);
    const outcomes = await Promise.all([attempt('a'), attempt('b'), attempt('c')]);
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'ConditionalCheckFailedException')).toHaveLength(2);
  });

  test('two concurrent invocations of one scheduled tick send one notification (state-change alert)', async () => {
    const { rt, page } = await setup();
    page.current = SPIKE;
    const event = { scheduledTime: '2026-12-03T12:00:00Z' };
    const results = await Promise.all([runAlert(alert3, event, rt), runAlert(alert3, event, rt)]);
    expect(rt.printed).toHaveLength(1);
    expect(results.map((r) => r.checks[0]?.status).sort()).toEqual(['duplicate', 'sent']);
  });

  test('two concurrent invocations of one scheduled tick send one report (Alert 2 has no state to race on)', async () => {
    const { rt } = await setup();
    const event = { scheduledTime: '2026-12-03T13:00:00Z' };
    await Promise.all([runAlert(alert2, event, rt), runAlert(alert2, event, rt), runAlert(alert2, event, rt)]);
    expect(rt.printed).toHaveLength(1);
    // A retry of the same tick after it finished is a duplicate too; the next tick is not.
    expect((await runAlert(alert2, event, rt)).checks[0]?.status).toBe('duplicate');
    expect((await runAlert(alert2, { scheduledTime: '2026-12-03T14:00:00Z' }, rt)).checks[0]?.status).toBe('sent');
    expect(rt.printed).toHaveLength(2);
  });

  test('alerts that run together share one scrape; a stale snapshot is read again', async () => {
    const { rt, page, advance } = await setup();
    await Promise.all([runAlert(alert1, {}, rt), runAlert(alert2, {}, rt), runAlert(alert3, {}, rt)]);
    expect(page.reads).toBe(1);
    advance(15);
    await runAlert(alert1, {}, rt);
    expect(page.reads).toBe(2);
    expect(await readSnapshot(rt.store)).toMatchObject({ takenAt: '2026-12-03T12:15:00.000Z' });
  });
});

describe('a check that cannot run', () => {
  test('one ERROR when it starts failing, silence while it fails, one recovery; alert state untouched', async () => {
    const { rt, page, advance } = await setup();
    page.current = SPIKE;
    await runAlert(alert3, {}, rt);
    const before = await getState(rt.store, 'alert3');

    advance(15);
    page.current = new Error('No figures found on https://canton.example/: Latest Round Gross, Latest Round Est. Traffic');
    const failed = await runAlert(alert3, {}, rt);
    expect(failed).toMatchObject({ ok: false, checks: [{ status: 'failed', transition: 'ok→failing' }] });
    expect(rt.printed[1]).toBe(
      'Canton Monitor ERROR\nThe Canton Rewards page (https://canton-rewards.noves.fi/) cannot be read.\n' +
        'No figures found on https://canton.example/: Latest Round Gross, Latest Round Est. Traffic\n\n' +
        'Checks keep running on their schedule; you will get one message when it works again.\n\n',
    );
    advance(15);
    await runAlert(alert1, {}, rt);
    advance(15);
    expect((await runAlert(alert3, {}, rt)).checks[0]).toMatchObject({ status: 'failed', transition: 'failing→failing' });
    expect(rt.printed).toHaveLength(2);
    expect(await getState(rt.store, 'alert3')).toEqual(before);

    advance(15);
    page.current = SPIKE;
    const recovered = await runAlert(alert3, {}, rt);
    expect(recovered.checks[0]).toMatchObject({ status: 'sent', transition: 'triggered→triggered', sourceTransition: 'failing→ok' });
    expect(rt.printed[2]).toBe(
      'Canton Monitor Recovered\nThe Canton Rewards page (https://canton-rewards.noves.fi/) can be read again. Checks are back to normal.\n\n',
    );
    expect(rt.printed).toHaveLength(3);
  });

  test('a failed read is shared by the alerts of the same tick: one attempt, one ERROR', async () => {
    const { rt, page } = await setup();
    page.current = new Error('net::ERR_CONNECTION_REFUSED at https://canton-rewards.noves.fi/');
    const results = await Promise.all([runAlert(alert1, {}, rt), runAlert(alert2, {}, rt), runAlert(alert3, {}, rt)]);
    expect(page.reads).toBe(1);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(rt.printed.filter((p) => p.startsWith('Canton Monitor ERROR\n'))).toHaveLength(1);
  });
});
