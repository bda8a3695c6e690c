import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CfnAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  Method,
  MethodLoggingLevel,
  RequestAuthorizer,
  RequestValidator,
  ResponseType,
  RestApi,
  type IResource,
} from 'aws-cdk-lib/aws-apigateway';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FORBIDDEN_BODY, INTERNAL_ERROR_BODY, NOT_FOUND_BODY, RESPONSE_HEADERS, UNAUTHORIZED_BODY } from '../shared/api/responses.js';
import type { DeployConfig } from './config.js';
import type { FunctionSpec } from './functions.js';

export const API_STAGE = 'prod';

/**
 * Answers API Gateway makes itself, in the handlers' JSON shape. The status is only changed for
 * MISSING_AUTHENTICATION_TOKEN, which is what a path with no resource at all gets (e.g. /api/nope):
 * a 404 there, not a 403. The DEFAULT_ entries keep each response's own status.
 */
export const GATEWAY_RESPONSES: ReadonlyArray<{ type: ResponseType; statusCode?: string; body: string }> = [
  { type: ResponseType.UNAUTHORIZED, body: JSON.stringify(UNAUTHORIZED_BODY) },
  { type: ResponseType.ACCESS_DENIED, body: JSON.stringify(FORBIDDEN_BODY) },
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: '404', body: JSON.stringify(NOT_FOUND_BODY) },
  { type: ResponseType.THROTTLED, body: JSON.stringify({ error: 'throttled', message: 'Too many requests. Wait a moment and try again.' }) },
  // $context.error.messageString is already a quoted JSON string.
  { type: ResponseType.DEFAULT_4XX, body: '{"error":"bad_request","message":$context.error.messageString}' },
  { type: ResponseType.DEFAULT_5XX, body: JSON.stringify(INTERNAL_ERROR_BODY) },
];

/**
 * The REST API from the route table: one Lambda integration per route, the REQUEST authorizer in
 * front of every non-public route, a fallback function for unmatched methods and paths, JSON
 * gateway responses, stage throttling and JSON access logs.
 */
export class MonitorApi extends Construct {
  readonly api: RestApi;
  readonly authorizer: RequestAuthorizer;
  readonly publicMethods: Method[] = [];
  readonly protectedMethods: Method[] = [];

  constructor(scope: Construct, id: string, props: { config: DeployConfig; specs: FunctionSpec[]; functions: Map<string, NodejsFunction> }) {
    super(scope, id);
    const { config, specs, functions } = props;
    const fnOf = (kind: FunctionSpec['kind']) => {
      const spec = specs.find((s) => s.kind === kind);
      if (!spec) throw new Error(`No ${kind} function`);
      return functions.get(spec.id)!;
    };

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.api = new RestApi(this, 'Rest', {
      restApiName: `${config.stackName}-api`,
      description: 'Canton Rewards Monitor: metrics, status, alerts and keys (API key in X-API-Key or Authorization: Bearer).',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Access logs need the account's API Gateway logging role; it is kept if the stack goes,
      // because it is an account-wide setting other APIs may rely on.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: config.api.rateLimit,
        throttlingBurstLimit: config.api.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: false,
      },
    });

    const headers = Object.fromEntries(Object.entries(RESPONSE_HEADERS).map(([k, v]) => [k, `'${v}'`]));
    for (const r of GATEWAY_RESPONSES) {
      this.api.addGatewayResponse(`Response-${r.type.responseType}`, {
        type: r.type,
        ...(r.statusCode ? { statusCode: r.statusCode } : {}),
        responseHeaders: headers,
        templates: { 'application/json': r.body },
      });
    }

    // The key may come in X-API-Key or Authorization: Bearer. With an identity source API Gateway
    // would refuse requests that lack that one header before the authorizer runs, so there is none,
    // and without an identity source results cannot be cached: every request is checked.
    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      handler: fnOf('authorizer'),
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });
    // CDK renders "no identity source" as an empty string; leave the property out altogether.
    (this.authorizer.node.defaultChild as CfnAuthorizer).addPropertyDeletionOverride('IdentitySource');

    const validator = new RequestValidator(this, 'Validator', {
      restApi: this.api,
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    const fallback = new LambdaIntegration(fnOf('fallback'), { allowTestInvoke: false });
    const withFallback = new Set<IResource>();
    const addFallback = (resource: IResource) => {
      if (withFallback.has(resource)) return;
      withFallback.add(resource);
      this.publicMethods.push(resource.addMethod('ANY', fallback, { authorizationType: AuthorizationType.NONE }));
    };

    for (const spec of specs) {
      if (spec.kind !== 'route' || !spec.route) continue;
      const route = spec.route;
      const resource = this.api.root.resourceForPath(route.path);
      const integration = new LambdaIntegration(functions.get(spec.id)!, { allowTestInvoke: false });
      const method = resource.addMethod(route.method, integration, {
        requestValidator: validator,
        ...(route.scope === 'public'
          ? { authorizationType: AuthorizationType.NONE }
          : { authorizationType: AuthorizationType.CUSTOM, authorizer: this.authorizer }),
      });
      (route.scope === 'public' ? this.publicMethods : this.protectedMethods).push(method);
      // Other methods on a route's path get a JSON 405 from the fallback.
      addFallback(resource);
    }
    // Anything else: a JSON 404.
    addFallback(this.api.root);
    addFallback(this.api.root.addResource('{proxy+}'));
  }
}
