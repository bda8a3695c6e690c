import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { matchRoute } from '../../shared/api/routing.js';
import { methodNotAllowed, notFound } from '../../shared/api/responses.js';
import { logger } from '../../shared/lambda/logger.js';
import { ROUTES } from './routes.js';

/** Requests no route takes: 405 (with Allow) on a known path, 404 otherwise. Reads nothing. */
export function fallbackResponse(method: string, path: string): APIGatewayProxyResult {
  const match = matchRoute(ROUTES, method, path);
  if (match.kind === 'method-not-allowed') return methodNotAllowed(method, match.allowed).toResponse();
  // A matched route only reaches here if the stack wired it wrongly; the answer is still "no such endpoint".
  return notFound().toResponse();
}

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  // logEvent: false even if POWERTOOLS_LOGGER_LOG_EVENT is set: request events carry the API key.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .handler(async (event) => fallbackResponse(event.httpMethod, event.path));
