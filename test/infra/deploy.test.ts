/**
 * The secret half of `npm run deploy`: which values go into the stack's secret, and that storing
 * them (the real SDK client against a local Secrets Manager stand-in) prints names, never values.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../shared/config/env.js';
import { OUTPUTS_FILE, parseDeployArgs, readStackOutputs, secretPayload, storeSecrets } from '../../infra/cli/deploy.js';
import { startFakeSecretsManager, type FakeSecretsManager } from './support/fake-secrets-manager.js';
import { NODE24, PROJECT_ROOT } from './support/lambda-sandbox.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:CantonRewardsMonitor-Secrets-Ab12Cd';
const VALUES = {
  PUSHOVER_USER_KEY: 'uDeployTestUserKey00000000000x',
  PUSHOVER_API_TOKEN: 'aDeployTestApiToken0000000000y',
  SLACK_BOT_TOKEN: 'xoxb-3333333333-4444444444-DeployTestToken',
} as const;

let sm: FakeSecretsManager;
let work: string;
beforeAll(async () => {
  sm = await startFakeSecretsManager({ [ARN]: '{}' });
  work = mkdtempSync(join(tmpdir(), 'crm-deploy-'));
});
afterAll(async () => {
  await sm.close();
  rmSync(work, { recursive: true, force: true });
});

describe('secretPayload', () => {
  test('holds every secret variable that is set, and nothing else', () => {
    expect(
      secretPayload({ ...VALUES, ALERT6_FAAMVIEW_API_KEY: '  ', PUSHOVER_ENABLED: 'true', SLACK_CHANNELS: '#alerts', CANTON_URL: 'https://example.com/' }),
    ).toEqual({
      names: ['PUSHOVER_USER_KEY', 'PUSHOVER_API_TOKEN', 'SLACK_BOT_TOKEN'],
      secretString: JSON.stringify(VALUES),
    });
    expect(secretPayload({})).toEqual({ names: [], secretString: '{}' });
  });
});

describe('storing the secret', () => {
  test('PutSecretValue replaces the secret with the values from the configuration', async () => {
    const client = new SecretsManagerClient({ endpoint: sm.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    expect(await storeSecrets(client, ARN, { ...VALUES, PUSHOVER_ENABLED: 'true' })).toEqual(['PUSHOVER_USER_KEY', 'PUSHOVER_API_TOKEN', 'SLACK_BOT_TOKEN']);
    expect(JSON.parse(sm.values.get(ARN)!)).toEqual(VALUES);
    expect(await storeSecrets(client, ARN, { SLACK_BOT_TOKEN: VALUES.SLACK_BOT_TOKEN })).toEqual(['SLACK_BOT_TOKEN']);
    expect(JSON.parse(sm.values.get(ARN)!)).toEqual({ SLACK_BOT_TOKEN: VALUES.SLACK_BOT_TOKEN });
    client.destroy();
  });

  test('npm run deploy -- --secrets-only stores them and prints names, never values', async () => {
    const envFile = join(work, 'deploy.env');
    writeFileSync(envFile, Object.entries({ ...VALUES, PUSHOVER_ENABLED: 'true', SLACK_ENABLED: 'true', SLACK_CHANNELS: '"#alerts"' }).map(([k, v]) => `${k}=${v}`).join('\n'));
    const outputs = join(work, 'outputs.json');
    writeFileSync(
      outputs,
      JSON.stringify({
        CantonRewardsMonitor: { SecretArn: ARN, ApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/', TABLENAMEAPIKEYS: 'CantonRewardsMonitor-Tableapikeys-1A2B3C' },
      }),
    );
    sm.values.set(ARN, '{}');
    const child = spawn(NODE24, ['--import', 'tsx', 'infra/cli/deploy.ts', '--secrets-only', '--outputs', outputs], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        CANTON_ENV_FILE: envFile,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect([code, out]).toEqual([
      0,
      [
        '',
        'Stored PUSHOVER_USER_KEY, PUSHOVER_API_TOKEN, SLACK_BOT_TOKEN in the stack\'s secret.',
        '',
        'API: https://abc123.execute-api.us-east-1.amazonaws.com/prod/',
        'Schedules: npm run schedules -- list',
        'First admin key (shown once):',
        '  TABLE_NAME_API_KEYS=CantonRewardsMonitor-Tableapikeys-1A2B3C npm run keys -- create --name admin --scope admin',
        '',
      ].join('\n'),
    ]);
    for (const value of Object.values(VALUES)) expect(out.includes(value)).toBe(false);
    expect(JSON.parse(sm.values.get(ARN)!)).toEqual(VALUES);
  }, 60_000);

  test('an invalid configuration stops the deploy before anything is stored, naming the variable', async () => {
    const envFile = join(work, 'bad.env');
    writeFileSync(envFile, `PUSHOVER_ENABLED=true\nPUSHOVER_API_TOKEN=${VALUES.PUSHOVER_API_TOKEN}\n`);
    const before = sm.requests.length;
    const child = spawn(NODE24, ['--import', 'tsx', 'infra/cli/deploy.ts', '--secrets-only', '--outputs', join(work, 'outputs.json')], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: work, CANTON_ENV_FILE: envFile, AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect([code, out]).toEqual([1, 'Invalid configuration:\n  - PUSHOVER_USER_KEY: is required when PUSHOVER_ENABLED=true\n']);
    expect(sm.requests.length).toBe(before);
  }, 60_000);
});

describe('arguments and outputs', () => {
  test('--secrets-only and --outputs are ours; the rest goes to cdk deploy', () => {
    expect(parseDeployArgs(['--require-approval', 'never', '--secrets-only', '--outputs', 'x.json', '--profile=prod'])).toEqual({
      secretsOnly: true,
      outputsFile: join(PROJECT_ROOT, 'x.json'),
      passThrough: ['--require-approval', 'never', '--profile=prod'],
    });
    expect(parseDeployArgs([])).toEqual({ secretsOnly: false, outputsFile: join(PROJECT_ROOT, OUTPUTS_FILE), passThrough: [] });
    expect(() => parseDeployArgs(['--outputs'])).toThrow(ConfigError);
  });

  test('the outputs file must exist and name the stack', () => {
    const file = join(work, 'o.json');
    writeFileSync(file, JSON.stringify({ Other: { SecretArn: 'x' } }));
    expect(() => readStackOutputs(file, 'CantonRewardsMonitor')).toThrow(`${file} has no outputs for stack CantonRewardsMonitor`);
    expect(() => readStackOutputs(join(work, 'none.json'), 'CantonRewardsMonitor')).toThrow(
      `${join(work, 'none.json')} not found: run npm run deploy (without --secrets-only) first`,
    );
  });
});
