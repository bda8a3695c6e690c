/**
 * Runs the functions of a synthesized cloud assembly (cdk.out) as Lambda would: each bundle from
 * its own task directory, with its layers, the environment the template gives it, in a fresh
 * Node 24 process. Used by the bundle smoke test and the bundle benchmark.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, type AttributeDefinition, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLES, type TableLogicalName } from '../../../shared/store/tables.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The Node 24 binary of the `node` devDependency (the machine's own node may be older). */
export const NODE24 = join(PROJECT_ROOT, 'node_modules', '.bin', 'node');
const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'invoke-asset.mjs');

export type CfnValue = string | number | boolean | { Ref: string } | { 'Fn::GetAtt': [string, string] } | Record<string, unknown>;

export interface SynthesizedFunction {
  logicalId: string;
  /** The deployed name, e.g. CantonRewardsMonitor-alert1. */
  name: string;
  /** The name without the stack prefix, e.g. alert1, api-status. */
  id: string;
  /** Absolute path of the code asset directory. */
  assetDir: string;
  handler: string;
  runtime: string;
  architectures: string[];
  memoryMb: number;
  timeoutSeconds: number;
  /** Absolute paths of the layer asset directories (their content is what lands in /opt). */
  layerDirs: string[];
  environment: Record<string, CfnValue>;
}

export interface Assembly {
  outdir: string;
  template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }>; Outputs?: Record<string, { Value: CfnValue }> };
  functions: SynthesizedFunction[];
  /** Logical id of each table by its logical name in TABLES. */
  tableIds: Record<TableLogicalName, string>;
  secretId: string;
}

export function readAssembly(outdir: string, stackName: string): Assembly {
  const template = JSON.parse(readFileSync(join(outdir, `${stackName}.template.json`), 'utf8')) as Assembly['template'];
  const resources = template.Resources;
  const assetPath = (logicalId: string): string => {
    const path = resources[logicalId]?.Metadata?.['aws:asset:path'];
    if (typeof path !== 'string') throw new Error(`${logicalId} has no asset path`);
    return resolve(outdir, path);
  };
  const functions: SynthesizedFunction[] = [];
  for (const [logicalId, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const p = r.Properties as {
      FunctionName: string;
      Handler: string;
      Runtime: string;
      Architectures?: string[];
      MemorySize: number;
      Timeout: number;
      Layers?: Array<{ Ref: string }>;
      Environment?: { Variables?: Record<string, CfnValue> };
    };
    functions.push({
      logicalId,
      name: p.FunctionName,
      id: p.FunctionName.slice(stackName.length + 1),
      assetDir: assetPath(logicalId),
      handler: p.Handler,
      runtime: p.Runtime,
      architectures: p.Architectures ?? ['x86_64'],
      memoryMb: p.MemorySize,
      timeoutSeconds: p.Timeout,
      layerDirs: (p.Layers ?? []).map((l) => assetPath(l.Ref)),
      environment: p.Environment?.Variables ?? {},
    });
  }
  const byPath = (suffix: string) => {
    const hit = Object.entries(resources).find(([, r]) => String(r.Metadata?.['aws:cdk:path'] ?? '').endsWith(suffix));
    if (!hit) throw new Error(`No resource at ${suffix}`);
    return hit[0];
  };
  const tableIds = Object.fromEntries(TABLES.map((t) => [t.logical, byPath(`/Table-${t.logical}/Resource`)])) as Record<TableLogicalName, string>;
  return { outdir, template, functions, tableIds, secretId: byPath('/Secrets/Resource') };
}

/**
 * Lays out one function like a Lambda sandbox: the bundle alone in a task directory, the layers'
 * content in an `opt` directory beside it. Lambda's Node.js runtime resolves packages from
 * /opt/nodejs/node_modules for ES modules too; plain Node does not look there, so a node_modules
 * link in the task directory stands in for that lookup. Nothing from the repository's
 * node_modules is reachable: the sandbox lives outside the repository.
 */
export function prepareTask(fn: SynthesizedFunction, sandboxRoot: string): string {
  const root = join(sandboxRoot, fn.id);
  rmSync(root, { recursive: true, force: true });
  const task = join(root, 'task');
  mkdirSync(task, { recursive: true });
  for (const entry of readdirSync(fn.assetDir)) copyFileSync(join(fn.assetDir, entry), join(task, entry));
  if (fn.layerDirs.length > 1) throw new Error(`${fn.id}: more than one layer is not laid out here`);
  const [layer] = fn.layerDirs;
  if (layer) symlinkSync(join(layer, 'nodejs', 'node_modules'), join(task, 'node_modules'), 'dir');
  return task;
}

/** The template's environment with Refs replaced by local stand-ins (table names, the secret's ARN). */
export function resolveEnvironment(raw: Record<string, CfnValue>, refs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else if ('Ref' in value && typeof value.Ref === 'string' && value.Ref in refs) out[name] = refs[value.Ref]!;
    else throw new Error(`${name}: cannot resolve ${JSON.stringify(value)} locally`);
  }
  return out;
}

/** What Lambda itself puts in every function's environment (the parts the code can notice). */
export function lambdaEnvironment(fn: SynthesizedFunction, taskDir: string, tmp: string): Record<string, string> {
  return {
    PATH: `${dirname(NODE24)}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'en_US.UTF-8',
    TZ: 'UTC',
    HOME: tmp,
    TMPDIR: tmp,
    LAMBDA_TASK_ROOT: taskDir,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_LAMBDA_LOG_LEVEL: 'INFO',
    // Stand-ins for the execution role's temporary credentials; the local services accept any.
    AWS_ACCESS_KEY_ID: 'ASIASANDBOX',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_SESSION_TOKEN: 'sandbox',
  };
}

export interface InvokeOutcome {
  ok: boolean;
  result?: unknown;
  error?: { name?: string; message?: string };
  loadError?: { name?: string; message?: string; code?: string };
  /** Importing the bundle (module load and handler setup). */
  loadMs?: number;
  /** The handler call. */
  runMs?: number;
  /** The second call, when asked for (same process). */
  warm?: { ok: boolean; result?: unknown; error?: { name?: string; message?: string }; runMs: number };
  /** The whole process, start to exit. */
  wallMs: number;
  stdout: string;
  stderr: string;
}

export async function invokeAsset(opts: {
  taskDir: string;
  handler: string;
  event: unknown;
  env: Record<string, string>;
  timeoutMs: number;
  /** Only import the bundle (cold initialisation), without calling the handler. */
  loadOnly?: boolean;
  /** Then invoke again in the same process after `pauseMs`, as a warm container would. */
  again?: { event: unknown; pauseMs: number };
}): Promise<InvokeOutcome> {
  const work = mkdtempSync(join(tmpdir(), 'invoke-'));
  const resultFile = join(work, 'result.json');
  const started = performance.now();
  const child = spawn(NODE24, [
      RUNNER,
      opts.taskDir,
      opts.handler,
      opts.loadOnly ? '--load-only' : JSON.stringify(opts.event),
      resultFile,
      String(opts.timeoutMs),
      ...(opts.again ? [JSON.stringify(opts.again.event), String(opts.again.pauseMs)] : []),
    ], {
    cwd: opts.taskDir,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), 2 * opts.timeoutMs + (opts.again?.pauseMs ?? 0) + 10_000);
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  clearTimeout(killer);
  const wallMs = performance.now() - started;
  let outcome: Omit<InvokeOutcome, 'wallMs' | 'stdout' | 'stderr'>;
  try {
    outcome = JSON.parse(readFileSync(resultFile, 'utf8')) as typeof outcome;
  } catch {
    outcome = { ok: false, loadError: { message: `the process exited with ${code} before reporting` } };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { ...outcome, wallMs, stdout, stderr };
}

/** The JSON lines a function wrote (its structured logs); anything else is returned as text. */
export function logLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { unstructured: l };
      }
    });
}

/** An in-memory dynalite with the product's tables under `prefix-<logical>`. */
export async function startSandboxStore(prefix: string): Promise<{ endpoint: string; tables: Record<TableLogicalName, string>; close(): Promise<void> }> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const tables = {} as Record<TableLogicalName, string>;
  for (const def of TABLES) {
    const name = `${prefix}-${def.logical}`;
    const keys: KeySchemaElement[] = [{ AttributeName: def.partitionKey, KeyType: 'HASH' }];
    const attrs: AttributeDefinition[] = [{ AttributeName: def.partitionKey, AttributeType: 'S' }];
    if (def.sortKey) {
      keys.push({ AttributeName: def.sortKey, KeyType: 'RANGE' });
      attrs.push({ AttributeName: def.sortKey, AttributeType: 'S' });
    }
    await client.send(new CreateTableCommand({ TableName: name, KeySchema: keys, AttributeDefinitions: attrs, BillingMode: 'PAY_PER_REQUEST' }));
    tables[def.logical] = name;
  }
  client.destroy();
  return {
    endpoint,
    tables,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections?.();
        server.close(() => res());
      }),
  };
}

/** Total size of a directory tree in bytes. */
export function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? directorySize(p) : statSync(p).size;
  }
  return total;
}
