import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent, PolicyDocument } from 'aws-lambda';
import { logger } from '../lambda/logger.js';
import { findApiKey, touchApiKey } from '../store/api-keys.js';
import type { Store } from '../store/client.js';
import { extractApiKey, KEY_SCOPES, type KeyScope } from './keys.js';
import { forbidden, unauthorized } from './responses.js';

/**
 * The API key check, shared by the Lambda authorizer (AWS) and the local server, which runs the
 * authorizer's code before each handler.
 *
 * The policy always covers the whole API, never just the route called: read keys get
 * `GET/*` with an explicit Deny on every admin route; admin keys get `GET/*`. So a cached policy
 * (should caching ever be enabled) is right for every route, and a read key can never reach an
 * admin route even if a handler forgot its own check. Handlers still check the scope passed in
 * the context, as a second line.
 */

/** API Gateway turns exactly this error message into a 401 (UNAUTHORIZED gateway response). */
export const UNAUTHORIZED_MESSAGE = 'Unauthorized';

/** What the authorizer hands to handlers in `requestContext.authorizer`. */
export interface AuthContext {
  scope: KeyScope;
  key_id: string;
}

export interface AuthorizeDeps {
  store: Store;
  now(): Date;
  /** API Gateway paths that need an admin key, e.g. `/api/keys`. */
  adminPaths: readonly string[];
}

/** `arn:aws:execute-api:region:account:api-id/stage` from a method ARN. */
export function apiBaseArn(methodArn: string): string {
  const [prefix, stage] = methodArn.split('/');
  if (!prefix || !stage || !prefix.startsWith('arn:')) throw new Error('Malformed method ARN');
  return `${prefix}/${stage}`;
}

export function policyFor(methodArn: string, scope: KeyScope, adminPaths: readonly string[]): PolicyDocument {
  const base = apiBaseArn(methodArn);
  const statements: PolicyDocument['Statement'] = [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [`${base}/GET/*`] }];
  if (scope !== 'admin' && adminPaths.length > 0) {
    statements.push({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: adminPaths.map((p) => `${base}/GET${p}`) });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** Throws `Unauthorized` for a missing, unknown or revoked key (one answer for all three, so probing learns nothing). */
export async function authorize(event: APIGatewayRequestAuthorizerEvent, deps: AuthorizeDeps): Promise<APIGatewayAuthorizerResult> {
  const secret = extractApiKey(event.headers, event.multiValueHeaders);
  if (!secret) throw new Error(UNAUTHORIZED_MESSAGE);
  const record = await findApiKey(deps.store, secret);
  if (!record || record.revoked_at || !KEY_SCOPES.includes(record.scope)) throw new Error(UNAUTHORIZED_MESSAGE);
  try {
    await touchApiKey(deps.store, record, deps.now());
  } catch (err) {
    // "Last used" is bookkeeping: failing to record it must not refuse a valid key.
    logger.warn('Could not record API key use', { keyId: record.id, error: err instanceof Error ? err.name : 'unknown' });
  }
  const context: AuthContext = { scope: record.scope, key_id: record.id };
  return { principalId: record.id, policyDocument: policyFor(event.methodArn, record.scope, deps.adminPaths), context: { ...context } };
}

const wildcard = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** IAM's answer for one method ARN: an explicit Deny wins, then any Allow; otherwise denied. */
export function policyAllows(policy: PolicyDocument, methodArn: string): boolean {
  let allowed = false;
  for (const statement of policy.Statement) {
    const resources = 'Resource' in statement ? statement.Resource : undefined;
    const list = resources === undefined ? [] : Array.isArray(resources) ? resources : [resources];
    if (!list.some((r) => wildcard(r).test(methodArn))) continue;
    if (statement.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}

/** The caller as the authorizer described it; undefined when no authorizer ran. */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): AuthContext | undefined {
  const ctx = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const scope = ctx?.scope;
  const keyId = ctx?.key_id;
  if (typeof scope !== 'string' || typeof keyId !== 'string' || !(KEY_SCOPES as readonly string[]).includes(scope)) return undefined;
  return { scope: scope as KeyScope, key_id: keyId };
}

/** The handler-side check: public routes pass; others need the authorizer's say-so and enough scope. */
export function requireScope(required: 'public' | 'read' | 'admin', caller: AuthContext | undefined): void {
  if (required === 'public') return;
  if (!caller) throw unauthorized();
  if (required === 'admin' && caller.scope !== 'admin') throw forbidden();
}
