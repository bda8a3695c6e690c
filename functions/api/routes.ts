/**
 * The REST API, defined once: the AWS stack creates API Gateway resources and one function per
 * route from this table, and local mode routes HTTP requests with it.
 */
import type { TableLogicalName } from '../../shared/store/tables.js';

export type Scope = 'public' | 'read' | 'admin';

/** `read`: Get/Query/Scan; `readwrite`: also Put/Update/Delete. */
export type TableAccess = Partial<Record<TableLogicalName, 'read' | 'readwrite'>>;

export interface RouteDefinition {
  method: 'GET';
  /** API Gateway style path, e.g. `/api/metrics/latest`. */
  path: string;
  /** Stable short name, used for function names, e.g. `metrics-latest`. */
  name: string;
  /** Source file under the repository root exporting `handler`. */
  entry: string;
  /** `public` needs no key; `read` any valid key; `admin` an admin key. */
  scope: Scope;
  /** Whether the handler may scrape the Canton page (so its function needs Chromium). */
  scrapes: boolean;
  description: string;
  /** The tables the function touches, for least-privilege grants. */
  tables: TableAccess;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/health',
    name: 'health',
    entry: 'functions/api/health.ts',
    scope: 'public',
    scrapes: false,
    description: 'Whether the service and its store answer.',
    tables: { state: 'read' },
  },
  {
    method: 'GET',
    path: '/api/status',
    name: 'status',
    entry: 'functions/api/status.ts',
    scope: 'read',
    scrapes: true,
    description: 'Current Canton figures: the stored snapshot when recent enough, otherwise scraped live.',
    // A live scrape stores its snapshot and history (and takes the shared scrape lease).
    tables: { state: 'readwrite', metrics: 'readwrite' },
  },
  {
    method: 'GET',
    path: '/api/metrics',
    name: 'metrics',
    entry: 'functions/api/metrics.ts',
    scope: 'read',
    scrapes: false,
    description: 'History of every series, filtered by series, source/type and time, paged with a cursor.',
    // The state table holds the cursor signing key, created on first use.
    tables: { metrics: 'read', state: 'readwrite' },
  },
  {
    method: 'GET',
    path: '/api/metrics/latest',
    name: 'metrics-latest',
    entry: 'functions/api/metrics-latest.ts',
    scope: 'read',
    scrapes: false,
    description: 'The newest record of every series.',
    tables: { metrics: 'read' },
  },
  {
    method: 'GET',
    path: '/api/schema',
    name: 'schema',
    entry: 'functions/api/schema.ts',
    scope: 'read',
    scrapes: false,
    description: 'Every series with its fields, units and meaning, as JSON Schema.',
    tables: {},
  },
  {
    method: 'GET',
    path: '/api/alerts',
    name: 'alerts',
    entry: 'functions/api/alerts.ts',
    scope: 'read',
    scrapes: false,
    description: 'Each alert and Alert 6 instance: enabled, interval, current state, since when, last notification.',
    tables: { state: 'read' },
  },
  {
    method: 'GET',
    path: '/api/keys',
    name: 'keys',
    entry: 'functions/api/keys.ts',
    scope: 'admin',
    scrapes: false,
    description: 'API keys (admin only): id, name, scope, created, last used, revoked. Never a secret or hash.',
    tables: { 'api-keys': 'read' },
  },
];

/**
 * The Lambda REQUEST authorizer in front of every non-public route. In AWS it must have NO identity
 * sources and result caching off (`identitySources: []`, `resultsCacheTtl: Duration.seconds(0)`):
 * API Gateway skips an authorizer whose identity source is missing and answers 401 itself, which
 * would refuse `Authorization: Bearer` whenever `X-API-Key` is the configured source (and vice
 * versa). Its policies cover the whole API anyway, so they stay right if caching is ever enabled.
 */
export const AUTHORIZER = {
  name: 'authorizer',
  entry: 'functions/api/authorizer.ts',
  tables: { 'api-keys': 'readwrite' } satisfies TableAccess,
} as const;

/**
 * Answers every request no route matches: 404 for an unknown path, 405 for a known path with
 * another method, both as JSON. In AWS: `ANY /{proxy+}` plus `ANY` on each route's resource, with
 * no authorizer (it reads nothing).
 */
export const FALLBACK = {
  name: 'fallback',
  entry: 'functions/api/fallback.ts',
  tables: {} satisfies TableAccess,
} as const;

export const ADMIN_PATHS: readonly string[] = ROUTES.filter((r) => r.scope === 'admin').map((r) => r.path);

export function routeNamed(name: string): RouteDefinition {
  const route = ROUTES.find((r) => r.name === name);
  if (!route) throw new Error(`No route named ${name}`);
  return route;
}
