/** Matching a request against the route table, for the local server and the AWS fallback function. */
export interface RoutableRoute {
  method: string;
  path: string;
}

export type RouteMatch<R> = { kind: 'route'; route: R } | { kind: 'not-found' } | { kind: 'method-not-allowed'; allowed: string[] };

/** `/api/metrics/` is `/api/metrics`, as in API Gateway. */
export const normalisePath = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') || '/' : path);

export function matchRoute<R extends RoutableRoute>(routes: readonly R[], method: string, path: string): RouteMatch<R> {
  const wanted = normalisePath(path);
  const onPath = routes.filter((r) => r.path === wanted);
  if (onPath.length === 0) return { kind: 'not-found' };
  const route = onPath.find((r) => r.method === method.toUpperCase());
  if (route) return { kind: 'route', route };
  return { kind: 'method-not-allowed', allowed: [...new Set(onPath.map((r) => r.method))] };
}
