/**
 * `npm run deploy`: validates the configuration, runs `cdk deploy`, then stores the secret values
 * from `.env` in the stack's Secrets Manager secret (PutSecretValue). Secret values are never
 * printed, never passed on a command line and never written to disk by this script.
 *
 *   npm run deploy                              deploy, then store the secrets
 *   npm run deploy -- --require-approval never  extra arguments go to `cdk deploy`
 *   npm run deploy -- --secrets-only            only store the secrets (after editing tokens)
 *   --outputs FILE                              where the stack outputs are kept (default cdk.out/deploy-outputs.json)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { buildDeployConfig, readDeployEnv } from '../config.js';
import { ConfigError, SECRET_VARIABLES, type Env } from '../../shared/config/env.js';
import { tableNameVariable } from '../../shared/store/tables.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const OUTPUTS_FILE = join('cdk.out', 'deploy-outputs.json');

/** The secret's new value: every secret variable that is set, as one JSON object. */
export function secretPayload(env: Env): { names: string[]; secretString: string } {
  const values: Record<string, string> = {};
  for (const name of SECRET_VARIABLES) {
    const value = env[name]?.trim();
    if (value) values[name] = value;
  }
  return { names: Object.keys(values), secretString: JSON.stringify(values) };
}

/** The stack's outputs as `cdk deploy --outputs-file` wrote them. */
export function readStackOutputs(file: string, stackName: string): Record<string, string> {
  if (!existsSync(file)) throw new Error(`${file} not found: run npm run deploy (without --secrets-only) first`);
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
  const outputs = all[stackName];
  if (!outputs) throw new Error(`${file} has no outputs for stack ${stackName}`);
  return outputs;
}

/** Replaces the secret's value; a variable removed from .env is removed from the secret too. */
export async function storeSecrets(
  client: Pick<SecretsManagerClient, 'send'>,
  secretArn: string,
  env: Env,
): Promise<string[]> {
  const { names, secretString } = secretPayload(env);
  await client.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: secretString }));
  return names;
}

/** Runs `cdk deploy` for the stack on this Node, with the user's terminal attached. */
function cdkDeploy(stackName: string, outputsFile: string, extraArgs: string[]): Promise<number> {
  const cdk = join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [cdk, 'deploy', stackName, '--outputs-file', outputsFile, ...extraArgs], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.on('error', rej);
    child.on('close', (code) => res(code ?? 1));
  });
}

/** Our two options; everything else goes to `cdk deploy` as it was given. */
export function parseDeployArgs(argv: string[]): { secretsOnly: boolean; outputsFile: string; passThrough: string[] } {
  let secretsOnly = false;
  let outputs = OUTPUTS_FILE;
  const passThrough: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--secrets-only') secretsOnly = true;
    else if (arg === '--outputs') {
      const value = argv[++i];
      if (!value) throw new ConfigError(['--outputs: needs a file name']);
      outputs = value;
    } else if (arg.startsWith('--outputs=')) outputs = arg.slice('--outputs='.length);
    else passThrough.push(arg);
  }
  return { secretsOnly, outputsFile: resolve(ROOT, outputs), passThrough };
}

async function main(argv: string[]): Promise<number> {
  const { secretsOnly, outputsFile, passThrough } = parseDeployArgs(argv);
  const env = readDeployEnv(ROOT);
  // Fails here, naming each bad variable, before anything is deployed.
  const config = buildDeployConfig(env);

  if (!secretsOnly) {
    const code = await cdkDeploy(config.stackName, outputsFile, passThrough);
    if (code !== 0) return code;
  }
  const outputs = readStackOutputs(outputsFile, config.stackName);
  const secretArn = outputs.SecretArn;
  if (!secretArn) throw new Error(`The ${config.stackName} outputs have no SecretArn`);

  const client = new SecretsManagerClient({});
  try {
    const names = await storeSecrets(client, secretArn, env);
    process.stdout.write(
      names.length > 0
        ? `\nStored ${names.join(', ')} in the stack's secret.\n`
        : '\nNo secret variables are set in .env; the stack\u2019s secret is now empty.\n',
    );
  } finally {
    client.destroy();
  }

  const keysTable = outputs[tableNameVariable('api-keys').replace(/_/g, '')];
  process.stdout.write(
    [
      '',
      `API: ${outputs.ApiUrl ?? '(see the stack outputs)'}`,
      `Schedules: npm run schedules -- list`,
      ...(keysTable ? ['First admin key (shown once):', `  TABLE_NAME_API_KEYS=${keysTable} npm run keys -- create --name admin --scope admin`] : []),
      '',
    ].join('\n'),
  );
  return 0;
}

/** The SDK's own messages for a missing region or credentials do not say what to do. */
function awsHint(err: unknown): string {
  const text = err instanceof Error ? `${err.name} ${err.message}` : '';
  return /Region is missing|CredentialsProviderError|Could not load credentials/.test(text)
    ? 'Storing the secret needs AWS credentials and a region: set AWS_REGION (or a profile with a region) and sign in (aws configure, aws sso login or AWS_PROFILE).\n'
    : '';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      // Error messages here never contain secret values (see shared/config/env.ts).
      process.stderr.write(`${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n${awsHint(err)}`);
      process.exit(1);
    },
  );
}
