import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NODE24, PROJECT_ROOT } from './lambda-sandbox.js';

/**
 * Runs `cdk synth` the way a user without an AWS account would: the real CLI with the project's
 * cdk.json, an environment built from scratch (no AWS variables, an empty HOME so no ~/.aws), and
 * the configuration from `envFile`.
 */
export async function cliSynth(opts: {
  outdir: string;
  envFile: string;
  home: string;
  /** Send any HTTP(S) the CLI or the app attempts to this proxy (Node honours it with NODE_USE_ENV_PROXY). */
  proxyUrl?: string;
}): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const bin = join(PROJECT_ROOT, 'node_modules', '.bin');
  const env: Record<string, string> = {
    PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
    HOME: opts.home,
    LANG: 'C.UTF-8',
    CANTON_ENV_FILE: opts.envFile,
    CDK_DISABLE_VERSION_CHECK: '1',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    // Bundling runs esbuild through npx; npm's once-a-day update check would call the registry.
    npm_config_update_notifier: 'false',
    // Skip the instance metadata probe of the default credential chain.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(opts.home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(opts.home, 'no-aws-credentials'),
    ...(opts.proxyUrl
      ? { NODE_USE_ENV_PROXY: '1', HTTP_PROXY: opts.proxyUrl, HTTPS_PROXY: opts.proxyUrl, http_proxy: opts.proxyUrl, https_proxy: opts.proxyUrl }
      : {}),
  };
  const started = performance.now();
  // The CLI is a Node script: run it on Node 24 explicitly, whatever `node` the machine has.
  const child = spawn(NODE24, [join(bin, 'cdk'), 'synth', '--output', opts.outdir, '--quiet', '--no-notices', '--ci'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  return { code, stdout, stderr, ms: performance.now() - started };
}

/** A proxy that answers nothing and records every request or tunnel attempted through it. */
export async function startTripwire(): Promise<{ url: string; attempts: string[]; close(): Promise<void> }> {
  const attempts: string[] = [];
  const server = createServer((req, res) => {
    attempts.push(`${req.method} ${req.url}`);
    res.statusCode = 502;
    res.end();
  });
  server.on('connect', (req, socket) => {
    attempts.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
}
