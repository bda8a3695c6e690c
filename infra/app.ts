import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../shared/config/env.js';
import { buildApp } from './app-builder.js';
import { readDeployEnv } from './config.js';

/** `cdk synth` / `cdk deploy` entry point (see cdk.json). */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
try {
  const { app } = buildApp({ env: readDeployEnv(projectRoot), projectRoot });
  app.synth();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
