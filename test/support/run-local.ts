import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface LocalRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Runs the local-mode command line exactly as `npm start -- <args>` does (tsx under this Node 24),
 * with only the given environment, so the test sees what a user sees.
 */
export function runLocal(args: string[], env: Record<string, string>, script = 'infra/local/main.ts'): Promise<LocalRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), script, ...args], {
      cwd: env.CWD ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
