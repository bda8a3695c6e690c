import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Env } from '../shared/config/env.js';
import { buildDeployConfig, type DeployConfig } from './config.js';
import { MonitorStack } from './stack.js';

/** Set here rather than in cdk.json so that tests, which build the app directly, get the same template. */
export const FEATURE_FLAGS = {
  '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:enablePartitionLiterals': true,
  '@aws-cdk/aws-apigateway:disableCloudWatchRole': true,
} as const;

export interface BuildOptions {
  /** The configuration (see readDeployEnv). */
  env: Env;
  projectRoot: string;
  /** Where the cloud assembly goes; defaults to the CLI's choice. */
  outdir?: string;
  /** false: skip esbuild and the layer copy (for template checks that do not need the code). */
  bundling?: boolean;
}

/**
 * The CDK app: one environment-agnostic stack (no account or region lookups, so synth needs no
 * credentials), checked by cdk-nag's AwsSolutions pack during synthesis.
 */
export function buildApp(opts: BuildOptions): { app: App; stack: MonitorStack; config: DeployConfig } {
  const config = buildDeployConfig(opts.env);
  const app = new App({
    ...(opts.outdir ? { outdir: opts.outdir } : {}),
    analyticsReporting: false,
    context: { ...FEATURE_FLAGS, ...(opts.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : {}) },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const stack = new MonitorStack(app, config.stackName, {
    config,
    projectRoot: opts.projectRoot,
    description: 'Canton Rewards Monitor: scheduled alerts, REST API and their tables',
  });
  return { app, stack, config };
}
