import { alertEntryFile } from '../functions/alerts/registry.js';
import { AUTHORIZER, FALLBACK, ROUTES, type RouteDefinition, type TableAccess } from '../functions/api/routes.js';
import type { Env } from '../shared/config/env.js';
import type { TableLogicalName } from '../shared/store/tables.js';
import { alertSettings, apiSettings, enabledChecks, type DeployConfig, type PlannedAlert } from './config.js';

/**
 * Every Lambda function the stack creates, derived from the alert registry and the route table:
 * what it runs and what it may touch. The stack turns each entry
 * into a function; tests read the same list.
 */
export type FunctionKind = 'alert' | 'route' | 'authorizer' | 'fallback';

export interface FunctionSpec {
  /** Short id, unique in the stack; the function is named `<stack>-<id>`. */
  id: string;
  kind: FunctionKind;
  /** Source file exporting `handler`. */
  entry: string;
  description: string;
  /** Needs Chromium (the browser layer, more memory and /tmp). */
  scrapes: boolean;
  tables: TableAccess;
  /** Reads the channel and FAAM secrets at run time (gets SECRETS_ARN and read access to the secret). */
  secrets: boolean;
  /** Non-secret configuration placed in its environment. */
  settings: Env;
  alert?: PlannedAlert;
  route?: RouteDefinition;
}

/** Alerts read and write their state, the shared snapshot and lease, idempotency records and history. */
const ALERT_TABLES: TableAccess = { state: 'readwrite', metrics: 'readwrite' };

/** What `read` and `readwrite` mean in IAM terms: only the calls the store code makes. */
export const TABLE_ACTIONS: Record<'read' | 'readwrite', readonly string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
  readwrite: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
};

export const routeFunctionId = (route: { name: string }): string => `api-${route.name}`;

export function functionSpecs(config: DeployConfig): FunctionSpec[] {
  const alerts: FunctionSpec[] = config.alerts.map((alert) => ({
    id: alert.def.id,
    kind: 'alert',
    entry: alertEntryFile(alert.def.id),
    description: `Alert ${alert.def.id.replace(/^alert/, '')}: ${alert.def.description}`,
    scrapes: alert.def.scrapes,
    tables: ALERT_TABLES,
    secrets: true,
    settings: alertSettings(config, alert.def.id),
    alert,
  }));
  const api = apiSettings(config);
  const routes: FunctionSpec[] = ROUTES.map((route) => ({
    id: routeFunctionId(route),
    kind: 'route',
    entry: route.entry,
    description: `${route.method} ${route.path}: ${route.description}`,
    scrapes: route.scrapes,
    tables: route.tables,
    secrets: false,
    settings: api,
    route,
  }));
  const authorizer: FunctionSpec = {
    id: routeFunctionId(AUTHORIZER),
    kind: 'authorizer',
    entry: AUTHORIZER.entry,
    description: 'API key check in front of every non-public route (REQUEST authorizer).',
    scrapes: false,
    tables: AUTHORIZER.tables,
    secrets: false,
    settings: api,
  };
  const fallback: FunctionSpec = {
    id: routeFunctionId(FALLBACK),
    kind: 'fallback',
    entry: FALLBACK.entry,
    description: 'JSON 404/405 for requests no route matches.',
    scrapes: false,
    tables: FALLBACK.tables,
    secrets: false,
    settings: api,
  };
  return [...alerts, ...routes, authorizer, fallback];
}

/** The tables a function is granted, with the access level. */
export const grantedTables = (spec: FunctionSpec): Array<[TableLogicalName, 'read' | 'readwrite']> =>
  Object.entries(spec.tables) as Array<[TableLogicalName, 'read' | 'readwrite']>;

/** Memory, /tmp and timeout: Chromium needs room; everything else is small and quick. */
export function sizing(spec: FunctionSpec, config: DeployConfig): { memoryMb: number; ephemeralMb: number; timeoutSeconds: number } {
  const scrapeSeconds = Number(config.settings.SCRAPE_TIMEOUT_SECONDS ?? 20);
  if (spec.kind === 'alert' && spec.scrapes) {
    // A check may wait out another invocation's scrape lease (twice the lease) before scraping itself.
    const lease = scrapeSeconds + 15;
    return { memoryMb: SCRAPER_MEMORY_MB, ephemeralMb: 1024, timeoutSeconds: Math.min(900, 2 * lease + scrapeSeconds + 60) };
  }
  if (spec.kind === 'alert') return { memoryMb: 512, ephemeralMb: 512, timeoutSeconds: 120 };
  // API Gateway gives up after 29 s; a scraping route may need most of that for a live read.
  if (spec.scrapes) return { memoryMb: SCRAPER_MEMORY_MB, ephemeralMb: 1024, timeoutSeconds: 29 };
  return { memoryMb: 512, ephemeralMb: 512, timeoutSeconds: 10 };
}

/**
 * Node and the single-process Chromium peak at about 290 MB on the fixture page; 1 GB leaves room
 * for the real page. Most scraping invocations wait for another one's snapshot, and waiting is
 * billed by memory × time, so more memory would mostly buy idle time.
 */
export const SCRAPER_MEMORY_MB = 1024;

/** The interval of the most frequent enabled check (minutes), for retry windows. */
export function shortestInterval(alert: PlannedAlert): number | undefined {
  const intervals = enabledChecks(alert).map((c) => c.intervalMinutes);
  return intervals.length > 0 ? Math.min(...intervals) : undefined;
}
