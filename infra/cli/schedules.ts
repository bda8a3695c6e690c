/**
 * Lists, pauses and resumes the alert schedules of a deployed stack, without a redeploy (e.g. for
 * maintenance of the Canton page or of a channel).
 *
 *   npm run schedules -- list
 *   npm run schedules -- pause alert3        one alert (also: 3, ALERT3)
 *   npm run schedules -- pause alert6        every Alert 6 instance
 *   npm run schedules -- resume alert6#2     one instance (also: alert6-2)
 *   npm run schedules -- pause all
 *
 * The schedule group is the stack's (STACK_NAME from .env, default CantonRewardsMonitor); --group
 * overrides it. A later deploy that changes a schedule re-enables it.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
  type GetScheduleCommandOutput,
  type ScheduleSummary,
} from '@aws-sdk/client-scheduler';
import { ConfigError, parseEnv } from '../../shared/config/env.js';
import { deployShape, readDeployEnv, scheduleGroupName, scheduleName } from '../deploy-settings.js';

/** The part of SchedulerClient this command uses. */
export interface SchedulerLike {
  send(command: ListSchedulesCommand): Promise<{ Schedules?: ScheduleSummary[]; NextToken?: string }>;
  send(command: GetScheduleCommand): Promise<GetScheduleCommandOutput>;
  send(command: UpdateScheduleCommand): Promise<unknown>;
}

export const USAGE = `Usage: npm run schedules -- list | pause ALERT | resume ALERT
  ALERT: alert1 … alert7 (or 1 … 7), alert6#N for one Alert 6 instance, or all
  --group NAME   the schedule group (default: STACK_NAME from .env)`;

/** `3`, `ALERT3`, `alert6#2`, `ALERT6_2`, `alert6-2` → the schedule name (or prefix) they mean. */
export function scheduleSelector(arg: string): { exact?: string; alert?: string } | 'all' {
  const s = arg.trim().toLowerCase();
  if (s === 'all') return 'all';
  const m = /^(?:alert)?(\d+)(?:[#_-](\d+))?$/.exec(s);
  if (!m) throw new UsageError(`"${arg}" is not an alert; use alert1 … alert7, alert6#N or all`);
  return m[2] ? { exact: scheduleName(`alert${m[1]}#${m[2]}`) } : { alert: `alert${m[1]}` };
}

const matches = (name: string, sel: ReturnType<typeof scheduleSelector>): boolean =>
  sel === 'all' || (sel.exact !== undefined ? name === sel.exact : name === sel.alert || name.startsWith(`${sel.alert}-`));

async function listAll(client: SchedulerLike, group: string): Promise<ScheduleSummary[]> {
  const out: ScheduleSummary[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListSchedulesCommand({ GroupName: group, ...(token ? { NextToken: token } : {}) }));
    out.push(...(page.Schedules ?? []));
    token = page.NextToken;
  } while (token);
  return out.sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? '', 'en', { numeric: true }));
}

/** UpdateSchedule replaces the whole definition, so everything is carried over except the state. */
async function setState(client: SchedulerLike, group: string, name: string, state: 'ENABLED' | 'DISABLED'): Promise<boolean> {
  const s = await client.send(new GetScheduleCommand({ GroupName: group, Name: name }));
  if (s.State === state) return false;
  await client.send(
    new UpdateScheduleCommand({
      Name: name,
      GroupName: group,
      State: state,
      ScheduleExpression: s.ScheduleExpression,
      FlexibleTimeWindow: s.FlexibleTimeWindow,
      Target: s.Target,
      ...(s.Description !== undefined ? { Description: s.Description } : {}),
      ...(s.ScheduleExpressionTimezone !== undefined ? { ScheduleExpressionTimezone: s.ScheduleExpressionTimezone } : {}),
      ...(s.StartDate !== undefined ? { StartDate: s.StartDate } : {}),
      ...(s.EndDate !== undefined ? { EndDate: s.EndDate } : {}),
      ...(s.KmsKeyArn !== undefined ? { KmsKeyArn: s.KmsKeyArn } : {}),
      ...(s.ActionAfterCompletion !== undefined ? { ActionAfterCompletion: s.ActionAfterCompletion } : {}),
    }),
  );
  return true;
}

/** Runs one command; returns the exit code. Output goes through `print`. */
export async function runSchedulesCommand(
  args: string[],
  deps: { client: SchedulerLike; group: string; print: (line: string) => void },
): Promise<number> {
  const { client, group, print } = deps;
  const [command, target, ...rest] = args;
  if (command === 'list' && target === undefined) {
    const schedules = await listAll(client, group);
    if (schedules.length === 0) {
      print(`No schedules in group ${group}.`);
      return 0;
    }
    for (const summary of schedules) {
      const s = await client.send(new GetScheduleCommand({ GroupName: group, Name: summary.Name }));
      print(`${(s.Name ?? '').padEnd(12)} ${(s.State === 'ENABLED' ? 'enabled' : 'PAUSED').padEnd(8)} ${s.ScheduleExpression ?? ''}`);
    }
    return 0;
  }
  if ((command === 'pause' || command === 'resume') && target !== undefined && rest.length === 0) {
    const selector = scheduleSelector(target);
    const all = await listAll(client, group);
    const chosen = all.filter((s) => matches(s.Name ?? '', selector));
    if (chosen.length === 0) {
      print(`No schedule for ${target} in group ${group}. Schedules: ${all.map((s) => s.Name).join(', ') || 'none'}.`);
      print('A disabled alert has no schedule; enable it in .env and deploy.');
      return 1;
    }
    const state = command === 'pause' ? 'DISABLED' : 'ENABLED';
    for (const s of chosen) {
      const changed = await setState(client, group, s.Name!, state);
      print(`${s.Name}: ${changed ? (state === 'DISABLED' ? 'paused' : 'resumed') : `already ${state === 'DISABLED' ? 'paused' : 'enabled'}`}`);
    }
    return 0;
  }
  print(USAGE);
  return 2;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { group: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const group = values.group ?? scheduleGroupName(parseEnv(deployShape, readDeployEnv(root)).STACK_NAME);
  const client = new SchedulerClient({});
  try {
    return await runSchedulesCommand(positionals, { client, group, print: (line) => process.stdout.write(`${line}\n`) });
  } finally {
    client.destroy();
  }
}

/** A command-line argument that is not understood. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The SDK's own messages for a missing region or credentials do not say what to do. */
function awsHint(err: unknown): string {
  const text = err instanceof Error ? `${err.name} ${err.message}` : '';
  return /Region is missing|CredentialsProviderError|Could not load credentials/.test(text)
    ? 'The schedules command needs AWS credentials and a region: set AWS_REGION (or a profile with a region) and sign in (aws configure, aws sso login or AWS_PROFILE).\n'
    : '';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError || err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n${awsHint(err)}`);
      process.exit(1);
    },
  );
}
