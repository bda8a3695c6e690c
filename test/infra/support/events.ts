/**
 * Console test events: what API Gateway delivers to a route function (already authorised) and to
 * the REQUEST authorizer. Alert functions take `{}`, `{"dryRun": true}` and `{"instance": n}`.
 */
import type { RouteDefinition } from '../../../functions/api/routes.js';

/** A request as API Gateway's REST proxy integration delivers it, already authorised. */
export function apiTestEvent(route: Pick<RouteDefinition, 'method' | 'path' | 'scope'>): Record<string, unknown> {
  return {
    resource: route.path,
    path: route.path,
    httpMethod: route.method,
    headers: { Accept: 'application/json' },
    multiValueHeaders: { Accept: ['application/json'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      resourcePath: route.path,
      httpMethod: route.method,
      path: `/prod${route.path}`,
      stage: 'prod',
      requestId: 'console-test',
      identity: { sourceIp: '127.0.0.1' },
      ...(route.scope === 'public' ? {} : { authorizer: { scope: route.scope === 'admin' ? 'admin' : 'read', key_id: 'console-test' } }),
    },
  };
}

/** An authorizer request carrying `key` the way clients send it. */
export function authorizerTestEvent(key: string): Record<string, unknown> {
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/api/status',
    resource: '/api/status',
    path: '/api/status',
    httpMethod: 'GET',
    headers: { 'X-API-Key': key },
    multiValueHeaders: { 'X-API-Key': [key] },
    queryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { resourcePath: '/api/status', httpMethod: 'GET', stage: 'prod', requestId: 'console-test' },
  };
}
