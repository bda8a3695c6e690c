import { Validations } from 'aws-cdk-lib';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { MonitorApi } from './api.js';

/**
 * The AwsSolutions findings this design accepts, each with its reason. Everything else the pack
 * reports fails synthesis. Acknowledgements are attached to the exact constructs they concern.
 */
const nag = (rule: string) => `AwsSolutions::AwsSolutions-${rule}`;

export const ACKNOWLEDGED = {
  secretRotation: {
    id: nag('SMG4'),
    reason:
      'The secret holds third-party tokens (Pushover, Slack, FAAMView) that only those providers can issue, so Secrets Manager cannot rotate them; they are replaced by editing .env and running npm run deploy.',
  },
  apiLoggingRole: {
    id: nag('IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]'),
    reason:
      'API Gateway writes access logs through one account-level role; this AWS managed policy is the one AWS documents for it and only allows writing to CloudWatch Logs.',
  },
  waf: {
    id: nag('APIG3'),
    reason:
      'A WAF web ACL costs at least US$5 a month plus rule fees, several times the whole deployment; the API is read-only, every data route needs an API key checked by the authorizer, and the stage is throttled.',
  },
  cognitoProtected: {
    id: nag('COG4'),
    reason:
      'Callers are scripts and dashboards holding API keys (stored only as SHA-256 hashes) that the REQUEST authorizer checks on every request; a Cognito user pool would add users and sign-in flows the product does not have.',
  },
  cognitoPublic: {
    id: nag('COG4'),
    reason: 'Public by design: it answers without reading any data (a liveness check, or a JSON 404/405 for unknown paths and methods).',
  },
  unauthenticated: {
    id: nag('APIG4'),
    reason: 'Public by design: it answers without reading any data (a liveness check, or a JSON 404/405 for unknown paths and methods).',
  },
} as const;

export function acknowledgeFindings(parts: { api: MonitorApi; secret: Secret }): void {
  const { api, secret } = parts;
  Validations.of(secret).acknowledge(ACKNOWLEDGED.secretRotation);
  const loggingRole = api.api.node.tryFindChild('CloudWatchRole');
  if (loggingRole) Validations.of(loggingRole).acknowledge(ACKNOWLEDGED.apiLoggingRole);
  Validations.of(api.api.deploymentStage).acknowledge(ACKNOWLEDGED.waf);
  for (const method of api.protectedMethods) Validations.of(method).acknowledge(ACKNOWLEDGED.cognitoProtected);
  for (const method of api.publicMethods) {
    Validations.of(method).acknowledge(ACKNOWLEDGED.cognitoPublic, ACKNOWLEDGED.unauthenticated);
  }
}
