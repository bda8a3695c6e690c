import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorize, UNAUTHORIZED_MESSAGE } from '../../shared/api/auth.js';
import { logger } from '../../shared/lambda/logger.js';
import { getRuntime } from '../../shared/lambda/runtime-cache.js';
import { ADMIN_PATHS } from './routes.js';

/**
 * The API key authorizer: a REQUEST authorizer, because keys come from either of two headers.
 *
 * Wiring in API Gateway (see AUTHORIZER in routes.ts):
 *  - NO identity sources and caching disabled (`identitySources: []`, `resultsCacheTtl: 0`). With an
 *    identity source, API Gateway rejects requests lacking that one header before this code runs,
 *    so the other header style would never work.
 *  - The policy returned covers every route (GET/* for any valid key, plus an explicit Deny of the
 *    admin routes for read keys), so a cached policy would still be right for every route.
 *  - `context.scope` and `context.key_id` reach handlers as `requestContext.authorizer`; handlers
 *    re-check the scope of admin routes.
 *  - Gateway responses: UNAUTHORIZED (401) and ACCESS_DENIED (403) should carry UNAUTHORIZED_BODY and
 *    FORBIDDEN_BODY from shared/api/responses.ts, so AWS answers exactly as local mode does.
 * The event (and so the key) is never logged.
 */
export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
  // logEvent: false even if POWERTOOLS_LOGGER_LOG_EVENT is set: request events carry the API key.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .handler(async (event) => {
    const rt = await getRuntime();
    try {
      return await authorize(event, { store: rt.store, now: rt.now, adminPaths: ADMIN_PATHS });
    } catch (err) {
      if (err instanceof Error && err.message === UNAUTHORIZED_MESSAGE) throw err;
      logger.error('Authorizer failed', { error: err instanceof Error ? err.message : String(err) });
      throw new Error('Authorizer failure', { cause: err });
    }
  });
