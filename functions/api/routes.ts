/**
 * The REST API, defined once: the AWS stack creates API Gateway resources and one function per
 * route from this table, and local mode routes HTTP requests with it.
 */
export type Scope = 'public' | 'read' | 'admin';

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
}

export const ROUTES: readonly RouteDefinition[] = [];
