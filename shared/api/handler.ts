import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { logger } from '../lambda/logger.js';
import { getRuntime } from '../lambda/runtime-cache.js';
import type { Runtime } from '../runtime.js';
import { callerOf, requireScope, type AuthContext } from './auth.js';
import { parseQuery, type QuerySpec, type QueryValues } from './query.js';
import { ApiError, INTERNAL_ERROR_BODY, json, methodNotAllowed } from './responses.js';

/** The part of a route definition a handler needs. */
export interface HandlerRoute {
  name: string;
  scope: 'public' | 'read' | 'admin';
}

export interface ApiRequest<Q> {
  event: APIGatewayProxyEvent;
  query: Q;
  caller: AuthContext | undefined;
  runtime: Runtime;
}

export interface ApiResult {
  statusCode?: number;
  body: unknown;
}

export type ApiHandler = middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

/**
 * Turns any failure into a JSON response. ApiErrors carry what the caller may see; anything else
 * is logged here and answered with a fixed message, so no stack trace, table or variable name
 * ever leaves the function.
 */
const jsonErrors = (route: HandlerRoute): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> => ({
  onError: (request) => {
    const err = request.error;
    if (err instanceof ApiError) {
      request.response = err.toResponse();
      return;
    }
    logger.error('API request failed', {
      route: route.name,
      error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
    });
    request.response = json(500, { ...INTERNAL_ERROR_BODY, request_id: request.context?.awsRequestId });
  },
});

/**
 * One endpoint as a middy handler: checks the caller's scope (the authorizer already did; this is
 * the second line), validates the query, then runs `fn` with the process's runtime.
 */
export function apiHandler<S extends QuerySpec>(
  route: HandlerRoute,
  query: S,
  fn: (req: ApiRequest<QueryValues<S>>) => Promise<ApiResult>,
): ApiHandler {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    // logEvent: false even if POWERTOOLS_LOGGER_LOG_EVENT is set: request events carry the API key.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(jsonErrors(route))
    .handler(async (event) => {
      if (event.httpMethod !== 'GET') throw methodNotAllowed(event.httpMethod, ['GET']);
      const caller = callerOf(event);
      requireScope(route.scope, caller);
      const values = parseQuery(event, query);
      const result = await fn({ event, query: values, caller, runtime: await getRuntime() });
      return json(result.statusCode ?? 200, result.body);
    });
}
