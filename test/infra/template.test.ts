/**
 * The synthesized template follows the configuration: tables, one function per alert and route,
 * one schedule per enabled check at its interval, the API with its authorizer, secrets by ARN only,
 * and per-function least privilege. Synthesized in-process without bundling (the bundles are
 * proven in bundles.test.ts); cdk-nag runs on every synth here too.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ALERTS } from '../../functions/alerts/registry.js';
import { ROUTES } from '../../functions/api/routes.js';
import { ConfigError, type Env } from '../../shared/config/env.js';
import { TABLES, tableNameVariable } from '../../shared/store/tables.js';
import { GATEWAY_RESPONSES } from '../../infra/api.js';
import { buildApp } from '../../infra/app-builder.js';
import { grantedTables, routeFunctionId, SCRAPER_MEMORY_MB, TABLE_ACTIONS } from '../../infra/functions.js';
import { ASYNC_RETRY_ATTEMPTS, SCHEDULE_RETRY_ATTEMPTS, type MonitorStack } from '../../infra/stack.js';
import { PROJECT_ROOT } from './support/lambda-sandbox.js';

const STACK = 'CantonRewardsMonitor';
const FAAM_KEY = 'faam_template_7d1e0c9a4b2f8e6d3c5a1b0f9e8d7c6b';

const outRoot = mkdtempSync(join(tmpdir(), 'crm-template-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));
let synthCount = 0;

function synth(env: Env): { template: Template; stack: MonitorStack; json: string } {
  synthCount += 1;
  const { stack } = buildApp({ env, projectRoot: PROJECT_ROOT, bundling: false, outdir: join(outRoot, String(synthCount)) });
  const template = Template.fromStack(stack);
  return { template, stack, json: JSON.stringify(template.toJSON()) };
}

const logicalId = (stack: MonitorStack, construct: IConstruct): string => {
  const child = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.getLogicalId(child);
};

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
const resourcesOf = (t: Template, type: string): Resources => t.findResources(type) as Resources;

function schedules(t: Template): Record<string, { expression: string; input: unknown; target: Record<string, unknown>; state: string }> {
  return Object.fromEntries(
    Object.values(resourcesOf(t, 'AWS::Scheduler::Schedule')).map((r) => {
      const p = r.Properties as { Name: string; ScheduleExpression: string; State: string; Target: Record<string, unknown> & { Input: string } };
      return [p.Name, { expression: p.ScheduleExpression, input: JSON.parse(p.Target.Input), target: p.Target, state: p.State }];
    }),
  );
}

function functionsByName(t: Template): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.values(resourcesOf(t, 'AWS::Lambda::Function')).map((r) => [r.Properties.FunctionName as string, r.Properties]));
}

/** Every logical id a fragment refers to (Ref and Fn::GetAtt). */
function referenced(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referenced);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.Ref === 'string') return [o.Ref];
    if (Array.isArray(o['Fn::GetAtt'])) return [String(o['Fn::GetAtt'][0])];
    return Object.values(o).flatMap(referenced);
  }
  return [];
}

const base = synth({});

describe('tables', () => {
  test('one per table definition: on-demand, point-in-time recovery, TTL, kept when the stack is deleted', () => {
    const tables = Object.values(resourcesOf(base.template, 'AWS::DynamoDB::Table'));
    expect(
      tables
        .map((r) => {
          const p = r.Properties as {
            KeySchema: Array<{ AttributeName: string; KeyType: string }>;
            BillingMode: string;
            PointInTimeRecoverySpecification: unknown;
            TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
          };
          return [
            p.KeySchema.map((k) => `${k.KeyType}:${k.AttributeName}`).join(','),
            p.BillingMode,
            p.PointInTimeRecoverySpecification,
            p.TimeToLiveSpecification ?? null,
            r.DeletionPolicy,
            r.UpdateReplacePolicy,
          ];
        })
        .sort(),
    ).toEqual(
      TABLES.map((d) => [
        [`HASH:${d.partitionKey}`, ...(d.sortKey ? [`RANGE:${d.sortKey}`] : [])].join(','),
        'PAY_PER_REQUEST',
        { PointInTimeRecoveryEnabled: true },
        d.ttlAttribute ? { AttributeName: d.ttlAttribute, Enabled: true } : null,
        'Retain',
        'Retain',
      ]).sort(),
    );
  });
});

describe('functions', () => {
  const fns = functionsByName(base.template);

  test('one per alert type, per route, the authorizer and the fallback; Node.js 24 on x86_64, ESM bundles', () => {
    expect(Object.keys(fns).sort()).toEqual(
      [...ALERTS.map((a) => a.id), ...ROUTES.map(routeFunctionId), 'api-authorizer', 'api-fallback'].map((id) => `${STACK}-${id}`).sort(),
    );
    for (const p of Object.values(fns)) {
      expect([p.Runtime, p.Architectures, p.Handler, (p.LoggingConfig as { LogFormat: string }).LogFormat]).toEqual([
        'nodejs24.x',
        ['x86_64'],
        'index.handler',
        'JSON',
      ]);
    }
  });

  test('only the scraping functions get the Chromium layer, 1 GB of memory and 1 GB of /tmp', () => {
    const layer = logicalId(base.stack, base.stack.node.findChild('Browser').node.findChild('Layer'));
    const scrapers = new Set([
      ...ALERTS.filter((a) => a.scrapes).map((a) => a.id),
      ...ROUTES.filter((r) => r.scrapes).map(routeFunctionId),
    ]);
    expect(scrapers.size).toBeGreaterThan(0);
    for (const [name, p] of Object.entries(fns)) {
      const scrapes = scrapers.has(name.slice(STACK.length + 1));
      expect([name, p.Layers ?? [], p.MemorySize, (p.EphemeralStorage as { Size: number }).Size]).toEqual([
        name,
        scrapes ? [{ Ref: layer }] : [],
        scrapes ? SCRAPER_MEMORY_MB : 512,
        scrapes ? 1024 : 512,
      ]);
    }
  });

  test('alert functions retry a failed scheduled run twice within one interval, then hand it to the dead-letter queue', () => {
    const nameOf = (ref: unknown) => base.stack.specs.find((spec) => logicalId(base.stack, base.stack.functions.get(spec.id)!) === (ref as { Ref: string }).Ref)?.id;
    const configs = Object.values(resourcesOf(base.template, 'AWS::Lambda::EventInvokeConfig')).map((r) => r.Properties);
    expect(Object.fromEntries(configs.map((c) => [nameOf(c.FunctionName), [c.MaximumRetryAttempts, c.MaximumEventAgeInSeconds]]))).toEqual({
      alert1: [ASYNC_RETRY_ATTEMPTS, 900],
      alert2: [ASYNC_RETRY_ATTEMPTS, 3600],
      alert3: [ASYNC_RETRY_ATTEMPTS, 900],
      alert4: [ASYNC_RETRY_ATTEMPTS, 900],
      alert5: [ASYNC_RETRY_ATTEMPTS, 900],
      // No enabled check: an hour, which only matters for a console invoke.
      alert6: [ASYNC_RETRY_ATTEMPTS, 3600],
      alert7: [ASYNC_RETRY_ATTEMPTS, 3600],
    });
    const dlq = logicalId(base.stack, base.stack.node.findChild('DeadLetters'));
    for (const a of ALERTS) expect(fns[`${STACK}-${a.id}`]!.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] } });
  });
});

describe('schedules', () => {
  const input = (instance?: number) => ({ ...(instance ? { instance } : {}), scheduledTime: '<aws.scheduler.scheduled-time>' });

  test('by default: one per enabled alert, at its interval, passing the scheduled time; Alerts 6 and 7 are off', () => {
    const s = schedules(base.template);
    // Alert 1 scrapes on the quarter hour; the other page alerts run a minute later and reuse its reading.
    expect(Object.fromEntries(Object.entries(s).map(([name, v]) => [name, [v.expression, v.input, v.state]]))).toEqual({
      alert1: ['cron(0/15 * * * ? *)', input(), 'ENABLED'],
      alert2: ['cron(1 0/1 * * ? *)', input(), 'ENABLED'],
      alert3: ['cron(1/15 * * * ? *)', input(), 'ENABLED'],
      alert4: ['cron(1/15 * * * ? *)', input(), 'ENABLED'],
      alert5: ['cron(1/15 * * * ? *)', input(), 'ENABLED'],
    });
  });

  test('with Alert 1 off, the next page alert leads the tick', () => {
    const s = schedules(synth({ ALERT1_ENABLED: 'false' }).template);
    expect([s.alert2?.expression, s.alert3?.expression]).toEqual(['cron(0 0/1 * * ? *)', 'cron(1/15 * * * ? *)']);
  });

  test('each schedule has a retry policy, a maximum event age of one interval and the dead-letter queue, in the stack group', () => {
    const { stack, template } = base;
    const dlq = logicalId(stack, stack.node.findChild('DeadLetters'));
    const group = logicalId(stack, stack.node.findChild('Schedules'));
    expect(resourcesOf(template, 'AWS::Scheduler::ScheduleGroup')).toEqual({
      [group]: { Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: STACK, Tags: [{ Key: 'app', Value: 'canton-rewards-monitor' }] } },
    });
    for (const [name, s] of Object.entries(schedules(template))) {
      const fn = logicalId(stack, stack.functions.get(name)!);
      expect([s.target.Arn, s.target.RetryPolicy, s.target.DeadLetterConfig]).toEqual([
        { 'Fn::GetAtt': [fn, 'Arn'] },
        { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: name === 'alert2' ? 3600 : 900 },
        { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
      ]);
    }
    template.allResourcesProperties('AWS::Scheduler::Schedule', { GroupName: { Ref: group }, FlexibleTimeWindow: { Mode: 'OFF' } });
  });

  test('enabling ALERT6_2 adds one schedule for instance 2, passing its number', () => {
    const { template } = synth({ ALERT6_2_ENABLED: 'true', ALERT6_2_RULES: '2:50', ALERT6_2_INTERVAL_MINUTES: '30', ALERT6_FAAMVIEW_API_KEY: FAAM_KEY });
    const s = schedules(template);
    expect(Object.keys(s).sort()).toEqual(['alert1', 'alert2', 'alert3', 'alert4', 'alert5', 'alert6-2']);
    expect([s['alert6-2']!.expression, s['alert6-2']!.input]).toEqual(['cron(0/30 * * * ? *)', input(2)]);
  });

  test('a configured but disabled Alert 6 instance has no schedule', () => {
    const { template } = synth({
      ALERT6_1_ENABLED: 'false',
      ALERT6_1_RULES: '3:60',
      ALERT6_2_ENABLED: 'true',
      ALERT6_2_RULES: '2:50',
      ALERT6_FAAMVIEW_API_KEY: FAAM_KEY,
    });
    expect(Object.keys(schedules(template)).sort()).toEqual(['alert1', 'alert2', 'alert3', 'alert4', 'alert5', 'alert6-2']);
  });

  test('ALERT2_ENABLED=false removes its schedule and nothing else', () => {
    const { template } = synth({ ALERT2_ENABLED: 'false' });
    expect(Object.keys(schedules(template)).sort()).toEqual(['alert1', 'alert3', 'alert4', 'alert5']);
    // The function stays, for console test invokes.
    expect(Object.keys(functionsByName(template))).toContain(`${STACK}-alert2`);
  });

  test('intervals become the schedules: aligned to the clock where they fit it, a plain rate otherwise', () => {
    const { template } = synth({ ALERT1_INTERVAL_MINUTES: '1', ALERT2_INTERVAL_MINUTES: '120', ALERT3_INTERVAL_MINUTES: '7', ALERT7_ENABLED: 'true', ALERT7_INTERVAL_MINUTES: '1440', ALERT6_FAAMVIEW_API_KEY: FAAM_KEY });
    expect(Object.fromEntries(Object.entries(schedules(template)).map(([n, s]) => [n, [s.expression, (s.target.RetryPolicy as { MaximumEventAgeInSeconds: number }).MaximumEventAgeInSeconds]]))).toEqual({
      alert1: ['cron(* * * * ? *)', 60],
      alert2: ['cron(1 0/2 * * ? *)', 7200],
      alert3: ['rate(7 minutes)', 420],
      alert4: ['cron(1/15 * * * ? *)', 900],
      alert5: ['cron(1/15 * * * ? *)', 900],
      alert7: ['cron(0 0 * * ? *)', 86400],
    });
  });

  test('an invalid setting fails synth, naming the variable', () => {
    expect(() => synth({ ALERT3_INTERVAL_MINUTES: '0' })).toThrow(ConfigError);
    expect(() => synth({ ALERT3_INTERVAL_MINUTES: '0', LOG_RETENTION_DAYS: '10' })).toThrow(
      'Invalid configuration:\n  - LOG_RETENTION_DAYS: must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got "10"\n  - ALERT3_INTERVAL_MINUTES: must be a whole number from 1 to 10080, got "0"',
    );
  });
});

describe('least privilege', () => {
  test('each function role may touch only its own log group, its own tables (with its access), the secret if it notifies, and the queue if scheduled', () => {
    const { stack, template } = base;
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).map((r) => r.Properties as {
      Roles: Array<{ Ref: string }>;
      PolicyDocument: { Statement: Array<{ Effect: string; Action: string | string[]; Resource: unknown }> };
    });
    const secret = logicalId(stack, stack.node.findChild('Secrets'));
    const dlq = logicalId(stack, stack.node.findChild('DeadLetters'));
    for (const spec of stack.specs) {
      const role = logicalId(stack, stack.node.findChild(`Role-${spec.id}`));
      const granted = policies
        .filter((p) => p.Roles.some((r) => r.Ref === role))
        .flatMap((p) => p.PolicyDocument.Statement)
        .flatMap((s) => {
          expect(s.Effect).toBe('Allow');
          const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
          return actions.flatMap((a) => referenced(s.Resource).map((r) => `${a} ${r}`));
        })
        .sort();
      const expected = [
        ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((a) => `${a} ${logicalId(stack, stack.node.findChild(`Logs-${spec.id}`))}`),
        ...grantedTables(spec).flatMap(([table, access]) => TABLE_ACTIONS[access].map((a) => `${a} ${logicalId(stack, stack.tables.get(table)!)}`)),
        ...(spec.secrets ? [`secretsmanager:GetSecretValue ${secret}`] : []),
        ...(spec.kind === 'alert' ? [`sqs:SendMessage ${dlq}`] : []),
      ].sort();
      expect([spec.id, granted]).toEqual([spec.id, expected]);
      // Nothing is granted to the role any other way.
      const role_ = template.toJSON().Resources[role] as { Properties: Record<string, unknown> };
      expect([role_.Properties.ManagedPolicyArns, role_.Properties.Policies]).toEqual([undefined, undefined]);
    }
  });

  test('alert functions may read the secret and the other functions may not', () => {
    expect(base.stack.specs.filter((s) => s.secrets).map((s) => s.id).sort()).toEqual(ALERTS.map((a) => a.id).sort());
  });

  test('each schedule role may only invoke its own function and write to the dead-letter queue', () => {
    const { stack, template } = base;
    const dlq = logicalId(stack, stack.node.findChild('DeadLetters'));
    const json = template.toJSON() as { Resources: Resources };
    for (const name of Object.keys(schedules(template))) {
      const role = logicalId(stack, stack.node.findChild(`ScheduleRole-${name}`));
      const statements = Object.values(json.Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as Array<{ Ref: string }>).some((x) => x.Ref === role))
        .flatMap((r) => (r.Properties.PolicyDocument as { Statement: unknown[] }).Statement);
      expect(statements).toEqual([
        { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, stack.functions.get(name)!), 'Arn'] } },
        { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [dlq, 'Arn'] } },
      ]);
      const trust = (json.Resources[role]!.Properties.AssumeRolePolicyDocument as { Statement: Array<{ Principal: unknown; Condition: unknown }> }).Statement;
      expect(trust.map((s) => [s.Principal, Object.keys(s.Condition as object)])).toEqual([[{ Service: 'scheduler.amazonaws.com' }, ['StringEquals', 'ArnEquals']]]);
    }
  });

  test('no inline policy in the stack uses a wildcard action or resource', () => {
    const statements = Object.values(resourcesOf(base.template, 'AWS::IAM::Policy')).flatMap(
      (r) => (r.Properties.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> }).Statement,
    );
    const text = JSON.stringify(statements.map((s) => [s.Action, s.Resource]));
    expect(text.includes('*')).toBe(false);
  });
});

describe('secrets', () => {
  const values = {
    PUSHOVER_USER_KEY: 'uTemplateUserKey0000000000000a',
    PUSHOVER_API_TOKEN: 'aTemplateApiToken000000000000b',
    SLACK_BOT_TOKEN: 'xoxb-1111111111-2222222222-TemplateSlackToken',
    ALERT6_FAAMVIEW_API_KEY: FAAM_KEY,
  };
  const withSecrets = synth({
    ...values,
    PUSHOVER_ENABLED: 'true',
    SLACK_ENABLED: 'true',
    SLACK_CHANNELS: '#alerts',
    ALERT7_ENABLED: 'true',
  });

  test('no secret value appears in the template; functions get the secret\u2019s ARN only', () => {
    for (const [name, value] of Object.entries(values)) expect([name, withSecrets.json.includes(value)]).toEqual([name, false]);
    const secretId = logicalId(withSecrets.stack, withSecrets.stack.node.findChild('Secrets'));
    expect(resourcesOf(withSecrets.template, 'AWS::SecretsManager::Secret')[secretId]!.Properties.SecretString).toBe('{}');
    for (const [name, p] of Object.entries(functionsByName(withSecrets.template))) {
      const vars = (p.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const secret of Object.keys(values)) expect([name, secret in vars]).toEqual([name, false]);
      const isAlert = ALERTS.some((a) => name === `${STACK}-${a.id}`);
      expect([name, vars.SECRETS_ARN]).toEqual([name, isAlert ? { Ref: secretId } : undefined]);
    }
  });

  test('API functions get no channel settings: they never notify', () => {
    for (const [name, p] of Object.entries(functionsByName(withSecrets.template))) {
      const vars = Object.keys((p.Environment as { Variables: Record<string, unknown> }).Variables);
      const isAlert = ALERTS.some((a) => name === `${STACK}-${a.id}`);
      expect([name, vars.filter((v) => /^(PUSHOVER|SLACK)_/.test(v)).sort()]).toEqual([
        name,
        isAlert ? ['PUSHOVER_ENABLED', 'SLACK_CHANNELS', 'SLACK_ENABLED'] : [],
      ]);
    }
  });

  test('local-only settings never reach AWS; each function learns its tables by name', () => {
    const { template, stack } = synth({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', CHROMIUM_PATH: '/usr/bin/chromium', TABLE_PREFIX: 'dev', ALERT3_THRESHOLD_PERCENT: '25' });
    const fns = functionsByName(template);
    for (const spec of stack.specs) {
      const vars = (fns[`${STACK}-${spec.id}`]!.Environment as { Variables: Record<string, unknown> }).Variables;
      expect([spec.id, 'DYNAMODB_ENDPOINT' in vars, 'CHROMIUM_PATH' in vars, 'TABLE_PREFIX' in vars]).toEqual([spec.id, false, false, false]);
      expect(Object.keys(vars).filter((v) => v.startsWith('TABLE_NAME_')).sort()).toEqual(grantedTables(spec).map(([t]) => tableNameVariable(t)).sort());
    }
    const alert3 = (fns[`${STACK}-alert3`]!.Environment as { Variables: Record<string, unknown> }).Variables;
    const alert4 = (fns[`${STACK}-alert4`]!.Environment as { Variables: Record<string, unknown> }).Variables;
    expect([alert3.ALERT3_THRESHOLD_PERCENT, alert4.ALERT3_THRESHOLD_PERCENT]).toEqual(['25', undefined]);
  });
});

describe('API', () => {
  const { stack, template } = base;

  test('one method per route; data routes behind the REQUEST authorizer, public ones open; JSON 404/405 from the fallback', () => {
    const methods = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).map((r) => r.Properties as {
      HttpMethod: string;
      AuthorizationType: string;
      AuthorizerId?: unknown;
      Integration: { Uri: unknown };
      ResourceId: unknown;
    });
    const authorizer = logicalId(stack, stack.node.findChild('Api').node.findChild('Authorizer'));
    const fallback = logicalId(stack, stack.functions.get('api-fallback')!);
    const byFunction = (id: string) => methods.filter((m) => referenced(m.Integration.Uri).includes(logicalId(stack, stack.functions.get(id)!)));
    for (const route of ROUTES) {
      const m = byFunction(routeFunctionId(route));
      expect(m.map((x) => [x.HttpMethod, x.AuthorizationType, x.AuthorizerId ?? null])).toEqual([
        route.scope === 'public' ? ['GET', 'NONE', null] : ['GET', 'CUSTOM', { Ref: authorizer }],
      ]);
    }
    const fallbacks = methods.filter((m) => referenced(m.Integration.Uri).includes(fallback));
    expect(fallbacks.map((m) => [m.HttpMethod, m.AuthorizationType])).toEqual(
      Array.from({ length: new Set(ROUTES.map((r) => r.path)).size + 2 }, () => ['ANY', 'NONE']),
    );
    expect(methods.length).toBe(ROUTES.length + fallbacks.length);
  });

  test('the authorizer has no identity source and no result cache, so both key headers reach it', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0, IdentitySource: Match.absent() });
  });

  test('gateway responses are JSON', () => {
    const responses = Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties as {
      ResponseType: string;
      StatusCode?: string;
      ResponseParameters: Record<string, string>;
      ResponseTemplates: Record<string, string>;
    });
    expect(responses.map((r) => [r.ResponseType, r.StatusCode ?? null, r.ResponseParameters['gatewayresponse.header.Content-Type']]).sort()).toEqual(
      GATEWAY_RESPONSES.map((g) => [g.type.responseType, g.statusCode ?? null, "'application/json; charset=utf-8'"]).sort(),
    );
    for (const r of responses.filter((x) => x.ResponseType !== 'DEFAULT_4XX')) expect(() => JSON.parse(r.ResponseTemplates['application/json']!)).not.toThrow();
  });

  test('the stage is throttled and writes JSON access logs', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: false }],
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('^\\{"requestId":"\\$context.requestId"') },
    });
    const custom = synth({ API_THROTTLE_RATE_LIMIT: '2', API_THROTTLE_BURST_LIMIT: '4' });
    custom.template.hasResourceProperties('AWS::ApiGateway::Stage', { MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 })] });
  });
});

describe('alarms', () => {
  test('on the dead-letter queue (failed alert runs) and on API 5XX answers (failed API functions); no topic without ALARM_EMAIL', () => {
    const { stack } = base;
    const alarms = Object.values(resourcesOf(base.template, 'AWS::CloudWatch::Alarm')).map((r) => r.Properties as { MetricName: string; Dimensions: Array<{ Name: string; Value: unknown }>; Threshold: number; AlarmActions?: unknown });
    expect(alarms.map((a) => [a.MetricName, a.Dimensions, a.Threshold, a.AlarmActions]).sort()).toEqual(
      [
        ['5XXError', [{ Name: 'ApiName', Value: `${STACK}-api` }], 1, undefined],
        ['ApproximateNumberOfMessagesVisible', [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, stack.node.findChild('DeadLetters')), 'QueueName'] } }], 1, undefined],
      ].sort(),
    );
    base.template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('ALARM_EMAIL adds a topic with that subscription, and every alarm notifies it', () => {
    const { template, stack } = synth({ ALARM_EMAIL: 'ops@example.com' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    const topic = logicalId(stack, stack.node.findChild('AlarmTopic'));
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: topic }] });
  });
});
