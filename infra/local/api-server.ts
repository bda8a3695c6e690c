import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { handler as authorizerHandler } from '../../functions/api/authorizer.js';
import { handler as fallbackHandler } from '../../functions/api/fallback.js';
import { ROUTES, type RouteDefinition } from '../../functions/api/routes.js';
import { policyAllows, UNAUTHORIZED_MESSAGE } from '../../shared/api/auth.js';
import { FORBIDDEN_BODY, INTERNAL_ERROR_BODY, json, UNAUTHORIZED_BODY } from '../../shared/api/responses.js';
import { matchRoute, normalisePath } from '../../shared/api/routing.js';
import { logger } from '../../shared/lambda/logger.js';
import { setRuntime } from '../../shared/lambda/runtime-cache.js';
import type { Runtime } from '../../shared/runtime.js';
import { hasAnyApiKey } from '../../shared/store/api-keys.js';

/**
 * Local mode's API Gateway: an HTTP server that turns each request into the REST API (v1) proxy
 * event API Gateway would send, runs the same authorizer code first for routes that need a key
 * (and applies its policy the way API Gateway does), then calls the route's own handler.
 */
export interface LocalApi {
  url: string;
  close(): Promise<void>;
}

export interface LocalApiOptions {
  /** Default 127.0.0.1: local mode is for this machine. */
  host?: string;
  /** Where the start-up hint goes (default stderr). */
  log?: (line: string) => void;
}

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEvent, context: Context) => Promise<APIGatewayAuthorizerResult>;

const STAGE = 'local';
const API_ID = 'local-api';
const ACCOUNT = '000000000000';
const REGION = 'local';
/** Generous, since /api/status may launch a browser; API Gateway itself allows 29 s. */
const TIMEOUT_MS = 120_000;

/** Each route's handler, loaded from the file the route table names (as the AWS stack bundles it). */
async function loadHandlers(): Promise<Map<string, ProxyHandler>> {
  const entries = await Promise.all(
    ROUTES.map(async (route) => {
      const mod = (await import(`../../${route.entry.replace(/\.ts$/, '.js')}`)) as { handler?: ProxyHandler };
      if (typeof mod.handler !== 'function') throw new Error(`${route.entry} does not export a handler`);
      return [route.name, mod.handler] as const;
    }),
  );
  return new Map(entries);
}

function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + TIMEOUT_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Header names as the client sent them (API Gateway keeps their case; Node lower-cases req.headers). */
function requestHeaders(req: IncomingMessage) {
  const headers: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { headers, multi };
}

function queryParameters(search: URLSearchParams) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of search) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  const any = Object.keys(single).length > 0;
  return { single: any ? single : null, multi: any ? multi : null };
}

function requestContext(req: IncomingMessage, method: string, path: string, resource: string, requestId: string) {
  return {
    accountId: ACCOUNT,
    apiId: API_ID,
    authorizer: undefined as Record<string, unknown> | undefined,
    protocol: `HTTP/${req.httpVersion}`,
    httpMethod: method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      user: null,
      userAgent: req.headers['user-agent'] ?? null,
      userArn: null,
    },
    path: `/${STAGE}${path}`,
    stage: STAGE,
    requestId,
    requestTimeEpoch: Date.now(),
    resourceId: resource,
    resourcePath: resource,
  };
}

function send(res: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  headers['Content-Length'] = String(body.length);
  res.writeHead(result.statusCode, headers);
  res.end(body);
}

export async function startLocalApi(runtime: Runtime, port: number, options: LocalApiOptions = {}): Promise<LocalApi> {
  setRuntime(runtime);
  const handlers = await loadHandlers();
  const authorizer = authorizerHandler as unknown as AuthorizerHandler;
  const fallback = fallbackHandler as unknown as ProxyHandler;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume(); // GET only: any body is read and dropped.
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://local');
    } catch {
      send(res, json(404, { error: 'not_found', message: 'No such endpoint.' }));
      return;
    }
    const path = url.pathname;
    const { headers, multi } = requestHeaders(req);
    const query = queryParameters(url.searchParams);
    const match = matchRoute(ROUTES, method, path);
    const requestId = randomUUID();
    const resource = match.kind === 'route' ? match.route.path : '/{proxy+}';
    const ctx = requestContext(req, method, path, resource, requestId);
    const event: APIGatewayProxyEvent = {
      resource,
      path,
      httpMethod: method,
      headers,
      multiValueHeaders: multi,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters: match.kind === 'route' ? null : { proxy: normalisePath(path).slice(1) },
      stageVariables: null,
      requestContext: ctx as APIGatewayProxyEvent['requestContext'],
      body: null,
      isBase64Encoded: false,
    };
    if (match.kind !== 'route') {
      send(res, await fallback(event, lambdaContext('local-api-fallback')));
      return;
    }
    const route: RouteDefinition = match.route;
    if (route.scope !== 'public') {
      const methodArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/${STAGE}/${method}${route.path}`;
      let result: APIGatewayAuthorizerResult;
      try {
        result = await authorizer(
          {
            type: 'REQUEST',
            methodArn,
            resource: route.path,
            path,
            httpMethod: method,
            headers,
            multiValueHeaders: multi,
            pathParameters: null,
            queryStringParameters: query.single,
            multiValueQueryStringParameters: query.multi,
            stageVariables: null,
            requestContext: ctx as APIGatewayRequestAuthorizerEvent['requestContext'],
          },
          lambdaContext('local-api-authorizer'),
        );
      } catch (err) {
        // As API Gateway: "Unauthorized" is a 401, any other authorizer failure a 500.
        send(res, err instanceof Error && err.message === UNAUTHORIZED_MESSAGE ? json(401, UNAUTHORIZED_BODY) : json(500, INTERNAL_ERROR_BODY));
        return;
      }
      if (!policyAllows(result.policyDocument, methodArn)) {
        send(res, json(403, FORBIDDEN_BODY));
        return;
      }
      ctx.authorizer = { principalId: result.principalId, ...(result.context ?? {}) };
    }
    send(res, await handlers.get(route.name)!(event, lambdaContext(`local-api-${route.name}`)));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error('Local API request failed', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) send(res, json(500, INTERNAL_ERROR_BODY));
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  if (!(await hasAnyApiKey(runtime.store))) {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    log(`No API key exists yet. Mint an admin key with:  npm run keys -- create --name admin --scope admin`);
    log(`then call e.g.:  curl -H "X-API-Key: <the printed key>" ${url}/api/status`);
  }

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
