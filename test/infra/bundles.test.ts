/**
 * The deployable artefacts, proven offline: the real `cdk synth` (no AWS credentials, any network
 * use caught by a tripwire proxy), cdk-nag during that synth, no secret value anywhere in cdk.out,
 * and every synthesized function bundle loaded on Node 24 and invoked with its console test event
 * against dynalite and local stand-ins for Pushover, Slack, FAAMView, Secrets Manager and the
 * Canton page.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERTS } from '../../functions/alerts/registry.js';
import { ROUTES } from '../../functions/api/routes.js';
import { createApiKey } from '../../shared/store/api-keys.js';
import { createStore } from '../../shared/store/client.js';
import { tableNameVariable } from '../../shared/store/tables.js';
import { SECRET_VARIABLES } from '../../shared/config/env.js';
import { ACKNOWLEDGED } from '../../infra/nag.js';
import { routeFunctionId } from '../../infra/functions.js';
import { apiTestEvent, authorizerTestEvent } from './support/events.js';
import { startFakeFaam, partyId, type FakeFaam } from '../support/fake-faam.js';
import { startFakePushover, type FakePushover } from '../support/fake-pushover.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { cliSynth, startTripwire } from './support/cli-synth.js';
import { startFakeSecretsManager, type FakeSecretsManager } from './support/fake-secrets-manager.js';
import {
  invokeAsset,
  lambdaEnvironment,
  logLines,
  prepareTask,
  PROJECT_ROOT,
  readAssembly,
  resolveEnvironment,
  startSandboxStore,
  type Assembly,
  type InvokeOutcome,
  type SynthesizedFunction,
} from './support/lambda-sandbox.js';

const STACK = 'CantonMonitorSmoke';
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${STACK}-secrets-AbCdEf`;

// Values shaped like the real ones; the point is that none of them may leak into cdk.out.
const SECRETS = {
  PUSHOVER_USER_KEY: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
  PUSHOVER_API_TOKEN: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
  SLACK_BOT_TOKEN: 'xoxb-2718281828-3141592653-SmokeTestTokenValue',
  ALERT6_FAAMVIEW_API_KEY: 'faam_smoke_7f3a9c2e5b1d8046aa31c9e2f7b5d0a4',
} as const;

let work: string;
let synth: Awaited<ReturnType<typeof cliSynth>>;
let tripwire: Awaited<ReturnType<typeof startTripwire>>;
let assembly: Assembly;
let page: StaticServer;
let pushover: FakePushover;
let slack: FakeSlack;
let faam: FakeFaam;
let secretsManager: FakeSecretsManager;
let store: Awaited<ReturnType<typeof startSandboxStore>>;
let apiKey: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'crm-bundles-'));
  page = await startStaticServer(join(PROJECT_ROOT, 'test', 'fixtures', 'canton'));
  pushover = await startFakePushover({ token: SECRETS.PUSHOVER_API_TOKEN, user: SECRETS.PUSHOVER_USER_KEY });
  slack = await startFakeSlack({ token: SECRETS.SLACK_BOT_TOKEN });
  faam = await startFakeFaam({
    apiKey: SECRETS.ALERT6_FAAMVIEW_API_KEY,
    dataset: {
      kind: 'stats',
      networkTotal: 1_000_000,
      providers: [
        { provider: partyId('cantonloop-mainnet-1'), total_amount: 420_000, percent_of_total: 42 },
        { provider: partyId('validator-b'), total_amount: 180_000, percent_of_total: 18 },
        { provider: partyId('validator-c'), total_amount: 90_000, percent_of_total: 9 },
      ],
    },
  });
  secretsManager = await startFakeSecretsManager({ [SECRET_ARN]: JSON.stringify(SECRETS) });
  store = await startSandboxStore('smoke');
  tripwire = await startTripwire();

  const envFile = join(work, 'smoke.env');
  writeFileSync(
    envFile,
    [
      `STACK_NAME=${STACK}`,
      `CANTON_URL=${page.url}/example.html`,
      'PUSHOVER_ENABLED=true',
      `PUSHOVER_API_URL=${pushover.url}`,
      `PUSHOVER_USER_KEY=${SECRETS.PUSHOVER_USER_KEY}`,
      `PUSHOVER_API_TOKEN=${SECRETS.PUSHOVER_API_TOKEN}`,
      'SLACK_ENABLED=true',
      `SLACK_API_URL=${slack.url}`,
      `SLACK_BOT_TOKEN=${SECRETS.SLACK_BOT_TOKEN}`,
      // Quoted: an unquoted # starts a comment in .env files.
      'SLACK_CHANNELS="#canton-alerts"',
      `ALERT6_FAAMVIEW_API_URL=${faam.url}`,
      `ALERT6_FAAMVIEW_API_KEY=${SECRETS.ALERT6_FAAMVIEW_API_KEY}`,
      'ALERT6_2_ENABLED=true',
      'ALERT6_2_NAME=Top providers',
      'ALERT6_2_RULES=2:50',
      'ALERT7_ENABLED=true',
      'ALARM_EMAIL=ops@example.com',
      '',
    ].join('\n'),
  );
  const home = join(work, 'home');
  mkdirSync(home);
  synth = await cliSynth({ outdir: join(work, 'cdk.out'), envFile, home, proxyUrl: tripwire.url });
  if (synth.code !== 0) throw new Error(`cdk synth failed:\n${synth.stderr}\n${synth.stdout}`);
  assembly = readAssembly(join(work, 'cdk.out'), STACK);

  const keyStore = createStore(
    { tablePrefix: 'unused', endpoint: store.endpoint, retentionDays: 400 },
    { [tableNameVariable('api-keys')]: store.tables['api-keys'], AWS_REGION: 'us-east-1' },
  );
  apiKey = (await createApiKey(keyStore, { name: 'smoke-admin', scope: 'admin', now: new Date() })).secret;
  keyStore.raw.destroy();
}, 600_000);

afterAll(async () => {
  await Promise.all([page?.close(), pushover?.close(), slack?.close(), faam?.close(), secretsManager?.close(), store?.close(), tripwire?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('cdk synth without an AWS account', () => {
  test('succeeds with no credentials and makes no network request', () => {
    expect(synth.code).toBe(0);
    expect(tripwire.attempts).toEqual([]);
    console.log(`cdk synth (CLI, with bundling): ${(synth.ms / 1000).toFixed(1)} s`);
  });

  test('cdk-nag AwsSolutions ran and every finding it reports is acknowledged with a reason', () => {
    const report = JSON.parse(readFileSync(join(assembly.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{
        pluginName: string;
        conclusion: string;
        violations: unknown[];
        suppressedViolations: Array<{ ruleName: string; acknowledgedId: string; reason: string; violatingConstructs: Array<{ constructPath: string }> }>;
      }>;
    };
    expect(report.pluginReports.map((p) => [p.pluginName, p.conclusion, p.violations.length])).toEqual([['AwsSolutions', 'success', 0]]);
    const suppressed = report.pluginReports[0]!.suppressedViolations;
    const reasons = new Map<string, string>(Object.values(ACKNOWLEDGED).map((a) => [a.id, a.reason]));
    for (const s of suppressed) {
      expect(reasons.get(s.acknowledgedId)).toBeDefined();
      expect(s.reason.length).toBeGreaterThan(40);
    }
    expect([...new Set(suppressed.map((s) => s.acknowledgedId))].sort()).toEqual([...new Set(Object.values(ACKNOWLEDGED).map((a) => a.id))].sort());
  });

  test('no secret value from the configuration appears anywhere in cdk.out', () => {
    const needles = SECRET_VARIABLES.map((name) => [name, Buffer.from(SECRETS[name])] as const);
    const leaks: string[] = [];
    let files = 0;
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (entry.isFile()) {
          files += 1;
          const content = readFileSync(p);
          for (const [name, needle] of needles) if (content.includes(needle)) leaks.push(`${name} in ${p}`);
        }
      }
    };
    walk(assembly.outdir);
    expect(leaks).toEqual([]);
    expect(files).toBeGreaterThan(100);
    // And the secrets do reach the functions that need them: by ARN only.
    for (const fn of assembly.functions) {
      for (const name of SECRET_VARIABLES) expect(fn.environment[name]).toBeUndefined();
    }
  });
});

describe('every function bundle runs on Node 24', () => {
  const sandbox = () => join(work, 'sandbox');
  const tmp = () => join(work, 'lambda-tmp');
  const fnNamed = (id: string): SynthesizedFunction => {
    const fn = assembly.functions.find((f) => f.id === id);
    if (!fn) throw new Error(`no function ${id}`);
    return fn;
  };
  const outcomes: Array<{ id: string; event: unknown; outcome: InvokeOutcome }> = [];

  async function invoke(id: string, event: unknown): Promise<InvokeOutcome> {
    const fn = fnNamed(id);
    const task = prepareTask(fn, sandbox());
    mkdirSync(tmp(), { recursive: true });
    const env = {
      ...lambdaEnvironment(fn, task, tmp()),
      ...resolveEnvironment(fn.environment, {
        ...Object.fromEntries(Object.entries(assembly.tableIds).map(([logical, logicalId]) => [logicalId, store.tables[logical as keyof typeof store.tables]])),
        [assembly.secretId]: SECRET_ARN,
      }),
      // The only additions to the template's environment: where the local DynamoDB and Secrets
      // Manager stand-ins listen (in AWS the SDK finds the real endpoints itself).
      DYNAMODB_ENDPOINT: store.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
    };
    const outcome = await invokeAsset({ taskDir: task, handler: fn.handler, event, env, timeoutMs: fn.timeoutSeconds * 1000 });
    outcomes.push({ id, event, outcome });
    return outcome;
  }

  test('the stack has one function per alert, per route, the authorizer and the fallback', () => {
    expect(assembly.functions.map((f) => f.id).sort()).toEqual(
      [...ALERTS.map((a) => a.id), ...ROUTES.map(routeFunctionId), 'api-authorizer', 'api-fallback'].sort(),
    );
    for (const fn of assembly.functions) {
      expect([fn.runtime, fn.architectures, fn.handler]).toEqual(['nodejs24.x', ['x86_64'], 'index.handler']);
      expect(readdirSync(fn.assetDir)).toEqual(['index.mjs']);
    }
  });

  /** Every line a function wrote is one of its structured JSON logs, from the product's logger. */
  function expectStructuredLogs(out: InvokeOutcome): void {
    const lines = logLines(out.stdout + out.stderr);
    expect(lines.filter((l) => 'unstructured' in l)).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect([typeof l.level, l.service]).toEqual(['string', 'canton-rewards-monitor']);
  }

  const ok = (out: InvokeOutcome) => {
    expect(out.loadError).toBeUndefined();
    expect(out.error).toBeUndefined();
    expect(out.ok).toBe(true);
    expectStructuredLogs(out);
    return out.result as { alert: string; dryRun: boolean; ok: boolean; checks: Array<Record<string, unknown> & { notifications: Array<{ title: string; message: string; priority: number }> }> };
  };
  const titles = (r: ReturnType<typeof ok>) => r.checks.map((c) => [c.check, c.status, c.notifications.map((n) => n.title)]);
  const channels = ['pushover', 'slack:#canton-alerts'];
  const delivered = (r: ReturnType<typeof ok>) => r.checks.map((c) => (c.deliveries as Array<{ target: string; ok: boolean }>).map((d) => `${d.target}:${d.ok}`));

  const STATUS_REPORT = [
    '⚠️ Latest Round:',
    '   Gross: 12.10 CC',
    '   Est.Traffic: 15.23 CC',
    '   Diff: -3.13 CC',
    '⚠️ 1-Hour Average:',
    '   Gross: 13.20 CC',
    '   Est.Traffic: 14.50 CC',
    '   Diff: -1.30 CC',
    '✓ 24-Hour Average:',
    '   Gross: 16.35 CC',
    '   Est.Traffic: 11.75 CC',
    '   Diff: +4.60 CC',
  ].join('\n');

  test('every alert, dry run ({"dryRun": true}; Alert 6 {"instance": 2, "dryRun": true}): evaluates, sends nothing', async () => {
    const results: Record<string, ReturnType<typeof ok>> = {};
    for (const id of ['alert2', 'alert1', 'alert3', 'alert4', 'alert5', 'alert7']) results[id] = ok(await invoke(id, { dryRun: true }));
    results.alert6 = ok(await invoke('alert6', { instance: 2, dryRun: true }));
    expect(Object.fromEntries(Object.entries(results).map(([id, r]) => [id, [r.alert, r.dryRun, r.ok, titles(r), delivered(r)]]))).toEqual({
      alert1: ['alert1', true, true, [['alert1', 'sent', ['Canton: Est.Traffic > Gross!']]], [[]]],
      alert2: ['alert2', true, true, [['alert2', 'sent', ['Canton Status Report']]], [[]]],
      alert3: ['alert3', true, true, [['alert3', 'silent', []]], [[]]],
      alert4: ['alert4', true, true, [['alert4', 'silent', []]], [[]]],
      alert5: ['alert5', true, true, [['alert5', 'sent', ['Canton: Profitability Change >30%!']]], [[]]],
      alert6: ['alert6', true, true, [['alert6#2', 'sent', ['Top providers: Concentration Alert!']]], [[]]],
      alert7: ['alert7', true, true, [['alert7', 'sent', ['Canton: FAAM Concentration Report']]], [[]]],
    });
    expect(results.alert2!.checks[0]!.notifications[0]!.message).toBe(STATUS_REPORT);
    expect([pushover.requests.length, slack.requests.length]).toEqual([0, 0]);
  }, 300_000);

  test('Alerts 1-5 ({}): scrape the page once, evaluate and deliver to Pushover and Slack', async () => {
    const r2 = ok(await invoke('alert2', {}));
    expect([titles(r2), delivered(r2)]).toEqual([[['alert2', 'sent', ['Canton Status Report']]], [channels.map((c) => `${c}:true`)]]);
    const r1 = ok(await invoke('alert1', {}));
    expect(r1.checks.map((c) => [c.status, c.transition, c.notifications])).toEqual([
      [
        'sent',
        'normal→triggered',
        [
          {
            title: 'Canton: Est.Traffic > Gross!',
            message: 'Latest Round: Est.Traffic (15.23) > Gross (12.10) by 3.13 CC\n1-Hour Average: Est.Traffic (14.50) > Gross (13.20) by 1.30 CC',
            priority: 1,
          },
        ],
      ],
    ]);
    const r3 = ok(await invoke('alert3', {}));
    const r4 = ok(await invoke('alert4', {}));
    expect([r3, r4].map((r) => r.checks.map((c) => [c.check, c.status, c.transition]))).toEqual([
      [['alert3', 'silent', 'normal→normal']],
      [['alert4', 'silent', 'normal→normal']],
    ]);
    const r5 = ok(await invoke('alert5', {}));
    expect(r5.checks.map((c) => [c.status, c.transition, c.notifications])).toEqual([
      [
        'sent',
        'normal→triggered',
        [
          {
            title: 'Canton: Profitability Change >30%!',
            message:
              'Profitability declining - margin between Gross and Traffic is shrinking.\n\nLatest Diff: -3.13 CC\n(Gross 12.10 - Est.Traffic 15.23)\n\nvs 1-Hour Average (-1.30 CC): ↓ 140.8% ⚠️',
            priority: 1,
          },
        ],
      ],
    ]);
    expect(pushover.requests.map((r) => [r.title, r.status])).toEqual([
      ['Canton Status Report', 200],
      ['Canton: Est.Traffic > Gross!', 200],
      ['Canton: Profitability Change >30%!', 200],
    ]);
    expect(slack.delivered().map((r) => r.channel)).toEqual(['#canton-alerts', '#canton-alerts', '#canton-alerts']);
  }, 300_000);

  test('Alert 6 ({"instance": 2}) and Alert 7 ({}): read FAAMView with the key from Secrets Manager', async () => {
    const r6 = ok(await invoke('alert6', { instance: 2 }));
    expect(r6.checks.map((c) => [c.check, c.status, c.transition, c.notifications.map((n) => n.title)])).toEqual([
      ['alert6#2', 'sent', 'normal→triggered', ['Top providers: Concentration Alert!']],
    ]);
    // The first line is the (current) time window.
    expect(r6.checks[0]!.notifications[0]!.message.split('\n').slice(1)).toEqual([
      'Network Total: $1,000,000',
      '',
      '⚠️ Top 2: 60.00% > 50% threshold',
      '   1. cantonloop-mainnet-1: 42.00% ($420,000)',
      '   2. validator-b: 18.00% ($180,000)',
    ]);
    const r7 = ok(await invoke('alert7', {}));
    expect([titles(r7), delivered(r7)]).toEqual([[['alert7', 'sent', ['Canton: FAAM Concentration Report']]], [['slack:#canton-alerts:true']]]);
    expect(faam.requests.map((r) => [r.path, r.keyAccepted])).toEqual([
      ['/api/v1/stats', true],
      ['/api/v1/stats', true],
      ['/api/v1/stats', true],
      ['/api/v1/stats', true],
    ]);
    // Functions read the secret by ARN from Secrets Manager; nothing else asks for it.
    expect([...new Set(secretsManager.requests.map((r) => `${r.operation} ${r.secretId}`))]).toEqual([`GetSecretValue ${SECRET_ARN}`]);
  }, 300_000);

  test('a repeated scheduled tick ({"scheduledTime": …}) is sent once', async () => {
    const before = pushover.requests.length;
    const tick = { scheduledTime: '2026-01-01T00:15:00Z' };
    const first = ok(await invoke('alert2', tick));
    const second = ok(await invoke('alert2', tick));
    expect([first, second].map((r) => r.checks.map((c) => c.status))).toEqual([['sent'], ['duplicate']]);
    expect(pushover.requests.length - before).toBe(1);
  }, 300_000);

  test('API functions answer their console test request with JSON', async () => {
    const answers: Record<string, { statusCode: number; headers: Record<string, string>; body: string }> = {};
    for (const route of ROUTES) {
      const out = await invoke(routeFunctionId(route), apiTestEvent(route));
      expect([route.name, out.loadError, out.ok]).toEqual([route.name, undefined, true]);
      answers[route.name] = out.result as (typeof answers)[string];
    }
    const fallback = await invoke('api-fallback', apiTestEvent({ method: 'GET', path: '/nope', scope: 'public' }));
    answers.fallback = fallback.result as (typeof answers)[string];
    expect(Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, [a.statusCode, a.headers['Content-Type']]]))).toEqual({
      ...Object.fromEntries(ROUTES.map((r) => [r.name, [200, 'application/json; charset=utf-8']])),
      fallback: [404, 'application/json; charset=utf-8'],
    });
    const body = (name: string) => JSON.parse(answers[name]!.body) as Record<string, unknown>;
    expect([body('health').status, body('health').store]).toEqual(['ok', 'ok']);
    expect([body('status').origin, body('status').metrics]).toEqual([
      'stored',
      {
        latest_round: { gross_cc: 12.1, est_traffic_cc: 15.23 },
        '1hr_avg': { gross_cc: 13.2, est_traffic_cc: 14.5 },
        '24hr_avg': { gross_cc: 16.35, est_traffic_cc: 11.75 },
      },
    ]);
    expect((body('keys').keys as Array<{ name: string; scope: string }>).map((k) => [k.name, k.scope])).toEqual([['smoke-admin', 'admin']]);
    expect(body('fallback').error).toBe('not_found');
  }, 300_000);

  test('GET /api/alerts describes Alert 6 instances and Alert 7 without being given the FAAMView key', async () => {
    const out = await invoke('api-alerts', apiTestEvent(ROUTES.find((r) => r.name === 'alerts')!));
    const result = out.result as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    const alerts = (JSON.parse(result.body) as { alerts: Array<{ key: string; enabled: boolean }> }).alerts;
    expect(alerts.filter((a) => a.key === 'alert6#2' || a.key === 'alert7')).toEqual([
      expect.objectContaining({ key: 'alert6#2', enabled: true }),
      expect.objectContaining({ key: 'alert7', enabled: true }),
    ]);
    expect(result.body).not.toContain('not-available-here');
  }, 60_000);

  test('the authorizer accepts the key in X-API-Key or Authorization: Bearer and refuses others', async () => {
    const viaHeader = await invoke('api-authorizer', authorizerTestEvent(apiKey));
    const bearer = authorizerTestEvent('x') as { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> };
    bearer.headers = { Authorization: `Bearer ${apiKey}` };
    bearer.multiValueHeaders = { Authorization: [`Bearer ${apiKey}`] };
    const viaBearer = await invoke('api-authorizer', bearer);
    const wrong = await invoke('api-authorizer', authorizerTestEvent('crm_not_a_real_key'));
    for (const out of [viaHeader, viaBearer]) {
      const result = out.result as { policyDocument: { Statement: Array<{ Effect: string; Resource: string[] }> }; context: { scope: string } };
      expect([out.ok, result.policyDocument.Statement.map((s) => [s.Effect, s.Resource]), result.context.scope]).toEqual([
        true,
        [['Allow', ['arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/*']]],
        'admin',
      ]);
    }
    expect([wrong.ok, wrong.error]).toEqual([false, { name: 'Error', message: 'Unauthorized' }]);
  }, 300_000);

  afterAll(() => {
    const rows = outcomes.map(({ id, event, outcome }) =>
      `${id.padEnd(20)} ${JSON.stringify(event).slice(0, 40).padEnd(42)} load ${String(Math.round(outcome.loadMs ?? -1)).padStart(4)} ms  run ${String(Math.round(outcome.runMs ?? -1)).padStart(5)} ms`,
    );
    console.log(`Bundle smoke runs (Node 24):\n${rows.join('\n')}`);
  });
});
