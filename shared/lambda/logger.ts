import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger for the whole product. In local mode the level comes from LOG_LEVEL
 * (default WARN, so the console channel's output stays readable); in Lambda it defaults to INFO.
 * Never pass secrets to it: config objects are logged only through `redactConfig`.
 */
export const logger = new Logger({
  serviceName: 'canton-rewards-monitor',
  logLevel: (process.env.LOG_LEVEL ?? (process.env.AWS_LAMBDA_FUNCTION_NAME ? 'INFO' : 'WARN')) as 'INFO',
});
