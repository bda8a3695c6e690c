/**
 * `npm run schedules` against a mocked EventBridge Scheduler client (nothing here can reach the
 * Scheduler API): what it lists, and that pause/resume rewrite only the state of the chosen
 * schedules while carrying every other setting over.
 */
import { describe, expect, test } from '@jest/globals';
import {
  GetScheduleCommand,
  ListSchedulesCommand,
  UpdateScheduleCommand,
  type GetScheduleCommandOutput,
  type ScheduleSummary,
  type UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { runSchedulesCommand, scheduleSelector, UsageError, USAGE, type SchedulerLike } from '../../infra/cli/schedules.js';

const GROUP = 'CantonRewardsMonitor';

/** A mock of the Scheduler client: an in-memory group answering List (two per page), Get and Update. */
class MockSchedulerClient implements SchedulerLike {
  readonly calls: string[] = [];
  readonly updates: UpdateScheduleCommandInput[] = [];
  readonly schedules = new Map<string, GetScheduleCommandOutput>();

  constructor(defs: Array<{ name: string; rate: string; input: object; state?: 'ENABLED' | 'DISABLED' }>) {
    for (const d of defs) {
      this.schedules.set(d.name, {
        $metadata: {},
        Arn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${GROUP}/${d.name}`,
        GroupName: GROUP,
        Name: d.name,
        Description: `${d.name}, ${d.rate}`,
        ScheduleExpression: d.rate,
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: d.state ?? 'ENABLED',
        Target: {
          Arn: `arn:aws:lambda:us-east-1:123456789012:function:${GROUP}-${d.name.split('-')[0]}`,
          RoleArn: `arn:aws:iam::123456789012:role/${d.name}-role`,
          Input: JSON.stringify(d.input),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 },
          DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
        },
      });
    }
  }

  send(command: ListSchedulesCommand): Promise<{ Schedules?: ScheduleSummary[]; NextToken?: string }>;
  send(command: GetScheduleCommand): Promise<GetScheduleCommandOutput>;
  send(command: UpdateScheduleCommand): Promise<unknown>;
  async send(command: ListSchedulesCommand | GetScheduleCommand | UpdateScheduleCommand): Promise<unknown> {
    if (command instanceof ListSchedulesCommand) {
      expect(command.input.GroupName).toBe(GROUP);
      this.calls.push(`List ${command.input.NextToken ?? '-'}`);
      // Unordered, as the API does not promise an order; two per page to exercise paging.
      const names = [...this.schedules.keys()].reverse();
      const start = Number(command.input.NextToken ?? 0);
      const page = names.slice(start, start + 2);
      return {
        Schedules: page.map((n) => ({ Name: n, GroupName: GROUP, State: this.schedules.get(n)!.State })),
        ...(start + 2 < names.length ? { NextToken: String(start + 2) } : {}),
      };
    }
    if (command instanceof GetScheduleCommand) {
      expect(command.input.GroupName).toBe(GROUP);
      this.calls.push(`Get ${command.input.Name}`);
      const s = this.schedules.get(command.input.Name!);
      if (!s) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
      return structuredClone(s);
    }
    this.calls.push(`Update ${command.input.Name} ${command.input.State}`);
    this.updates.push(command.input);
    const s = this.schedules.get(command.input.Name!)!;
    s.State = command.input.State;
    return {};
  }
}

const tick = { scheduledTime: '<aws.scheduler.scheduled-time>' };
const fixture = () =>
  new MockSchedulerClient([
    { name: 'alert1', rate: 'rate(15 minutes)', input: tick },
    { name: 'alert2', rate: 'rate(60 minutes)', input: tick },
    { name: 'alert3', rate: 'rate(15 minutes)', input: tick },
    { name: 'alert6-2', rate: 'rate(360 minutes)', input: { instance: 2, ...tick } },
    { name: 'alert6-10', rate: 'rate(30 minutes)', input: { instance: 10, ...tick }, state: 'DISABLED' },
  ]);

async function run(client: MockSchedulerClient, ...args: string[]) {
  const lines: string[] = [];
  const code = await runSchedulesCommand(args, { client, group: GROUP, print: (l) => lines.push(l) });
  return { code, lines };
}

describe('npm run schedules, with a mocked EventBridge Scheduler client', () => {
  test('list: every schedule of the group, in alert order, with its state and rate', async () => {
    const client = fixture();
    expect(await run(client, 'list')).toEqual({
      code: 0,
      lines: [
        'alert1       enabled  rate(15 minutes)',
        'alert2       enabled  rate(60 minutes)',
        'alert3       enabled  rate(15 minutes)',
        'alert6-2     enabled  rate(360 minutes)',
        'alert6-10    PAUSED   rate(30 minutes)',
      ],
    });
    expect(client.calls.slice(0, 3)).toEqual(['List -', 'List 2', 'List 4']);
  });

  test('pause alert3: only that schedule, with its whole definition carried over', async () => {
    const client = fixture();
    const before = structuredClone(client.schedules.get('alert3')!);
    expect(await run(client, 'pause', 'alert3')).toEqual({ code: 0, lines: ['alert3: paused'] });
    expect(client.updates).toEqual([
      {
        Name: 'alert3',
        GroupName: GROUP,
        State: 'DISABLED',
        ScheduleExpression: before.ScheduleExpression,
        FlexibleTimeWindow: before.FlexibleTimeWindow,
        Target: before.Target,
        Description: before.Description,
      },
    ]);
    expect([...client.schedules.values()].map((s) => [s.Name, s.State])).toEqual([
      ['alert1', 'ENABLED'],
      ['alert2', 'ENABLED'],
      ['alert3', 'DISABLED'],
      ['alert6-2', 'ENABLED'],
      ['alert6-10', 'DISABLED'],
    ]);
  });

  test('pause alert6 pauses every instance; one already paused is left as it is', async () => {
    const client = fixture();
    expect(await run(client, 'pause', 'ALERT6')).toEqual({ code: 0, lines: ['alert6-2: paused', 'alert6-10: already paused'] });
    expect(client.updates.map((u) => [u.Name, u.State])).toEqual([['alert6-2', 'DISABLED']]);
  });

  test('resume one Alert 6 instance by alert6#10, ALERT6_10 or alert6-10', async () => {
    for (const arg of ['alert6#10', 'ALERT6_10', 'alert6-10']) {
      const client = fixture();
      expect(await run(client, 'resume', arg)).toEqual({ code: 0, lines: ['alert6-10: resumed'] });
      expect(client.updates.map((u) => [u.Name, u.State, u.Target?.Input])).toEqual([['alert6-10', 'ENABLED', JSON.stringify({ instance: 10, ...tick })]]);
    }
  });

  test('pause all, then resume 2', async () => {
    const client = fixture();
    expect((await run(client, 'pause', 'all')).lines).toEqual([
      'alert1: paused',
      'alert2: paused',
      'alert3: paused',
      'alert6-2: paused',
      'alert6-10: already paused',
    ]);
    expect(await run(client, 'resume', '2')).toEqual({ code: 0, lines: ['alert2: resumed'] });
    expect([...client.schedules.values()].filter((s) => s.State === 'ENABLED').map((s) => s.Name)).toEqual(['alert2']);
  });

  test('an alert without a schedule is an error that lists what exists, and changes nothing', async () => {
    const client = fixture();
    expect(await run(client, 'pause', 'alert7')).toEqual({
      code: 1,
      lines: [
        `No schedule for alert7 in group ${GROUP}. Schedules: alert1, alert2, alert3, alert6-2, alert6-10.`,
        'A disabled alert has no schedule; enable it in .env and deploy.',
      ],
    });
    expect(client.updates).toEqual([]);
  });

  test('anything else prints the usage', async () => {
    expect(USAGE.split('\n')[0]).toBe('Usage: npm run schedules -- list | pause ALERT | resume ALERT');
    const client = fixture();
    for (const args of [[], ['list', 'alert1'], ['stop', 'alert1'], ['pause']]) {
      const { code, lines } = await run(client, ...args);
      expect([code, lines]).toEqual([2, [USAGE]]);
    }
    expect(client.calls).toEqual([]);
  });
});

describe('scheduleSelector', () => {
  test('reads the ways an alert can be named', () => {
    expect(['alert3', '3', 'ALERT3', 'alert6#2', 'ALERT6_2', 'alert6-2', 'all'].map(scheduleSelector)).toEqual([
      { alert: 'alert3' },
      { alert: 'alert3' },
      { alert: 'alert3' },
      { exact: 'alert6-2' },
      { exact: 'alert6-2' },
      { exact: 'alert6-2' },
      'all',
    ]);
    expect(() => scheduleSelector('status')).toThrow(new UsageError('"status" is not an alert; use alert1 … alert7, alert6#N or all'));
  });
});
