import { logger } from '../../lambda/logger.js';
import { faamStatsResponseSchema, providerDisplayName, type FaamStats } from './schema.js';

/** Why a stats call failed; each is a different thing for the user to check. */
export type FaamErrorCode =
  /** 401: the key is missing or wrong. Retrying cannot help. */
  | 'unauthorized'
  /** 429 beyond what the check can wait for. */
  | 'rate_limited'
  /** 5xx on every attempt. */
  | 'server_error'
  /** No answer within the request timeout on every attempt. */
  | 'timeout'
  /** Connection refused, DNS failure, reset… on every attempt. */
  | 'network'
  /** A 200 whose body is not JSON. */
  | 'malformed_json'
  /** JSON that does not fit the documented shape. */
  | 'unexpected_response'
  /** Any other HTTP status (400, 403, 404…). */
  | 'http_error';

/** A stats call that failed. The message is written for the person reading the error notification. */
export class FaamApiError extends Error {
  override readonly name = 'FaamApiError';
  constructor(
    readonly code: FaamErrorCode,
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface FaamClientOptions {
  /** ALERT6_FAAMVIEW_API_URL; a path prefix is kept. */
  baseUrl: string;
  /** ALERT6_FAAMVIEW_API_KEY. Only ever sent as the X-API-Key header. */
  apiKey: string;
  /** How to wait before a retry; the runtime's, so tests spend no wall-clock time. */
  sleep(ms: number): Promise<void>;
  /** One request's limit. */
  timeoutMs?: number;
  /** Attempts in total, whatever the reasons for retrying. */
  maxAttempts?: number;
  /** First backoff after a 5xx, timeout or network failure; doubled each time. */
  backoffMs?: number;
  /** Time for all attempts and waits when the caller has no deadline (local runs). */
  defaultBudgetMs?: number;
}

export interface StatsQuery {
  /** Top X: how many providers to return. */
  limit: number;
  from: Date;
  to: Date;
}

export interface FaamClient {
  /** One stats call, with retries; resolves to validated figures or rejects with a FaamApiError. */
  stats(query: StatsQuery, opts?: { deadline?: number }): Promise<FaamStats>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 2_000;
export const DEFAULT_BUDGET_MS = 60_000;
/** Left for delivering the notification and writing state after the last attempt. */
export const DELIVERY_RESERVE_MS = 15_000;
/** A retry is only worth starting if a request has at least this long to answer. */
const MIN_REQUEST_MS = 1_000;
/** When a 429 carries no usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 5_000;

/** ISO 8601 to the second, as the API documents (`2025-12-09T11:00:00Z`). */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

type Attempt =
  | { kind: 'ok'; body: string }
  | { kind: 'status'; status: number; body: string; retryAfter: string | null }
  | { kind: 'timeout' }
  | { kind: 'network'; detail: string };

// fetch's errors may come from another realm (DOMException, undici's TypeError), where
// `instanceof Error` is false, so they are read by shape.
const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined;

/** What a failed fetch was, without anything that could carry a header value. */
function networkDetail(err: unknown): string {
  const code = field(field(err, 'cause'), 'code');
  if (typeof code === 'string') return code;
  const message = field(err, 'message');
  return typeof message === 'string' ? message : String(err);
}

/** The `error`/`message` fields of an error body, shortened; the body itself is never echoed whole. */
function errorSummary(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const parts = [parsed.error, parsed.message].filter((p): p is string => typeof p === 'string' && p.length > 0);
    return parts.join(': ').slice(0, 200);
  } catch {
    return '';
  }
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const shown = issues.slice(0, 3).map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `${path || '(body)'}: ${i.message}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

export function createFaamClient(options: FaamClientOptions): FaamClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;

  async function attempt(url: string, limitMs: number): Promise<Attempt> {
    try {
      const res = await fetch(url, {
        headers: { 'X-API-Key': options.apiKey, Accept: 'application/json' },
        signal: AbortSignal.timeout(limitMs),
      });
      // The body is read under the same signal, so a server that stalls mid-body also times out.
      const body = await res.text();
      if (res.status === 200) return { kind: 'ok', body };
      return { kind: 'status', status: res.status, body, retryAfter: res.headers.get('retry-after') };
    } catch (err) {
      const name = field(err, 'name');
      if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout' };
      return { kind: 'network', detail: networkDetail(err) };
    }
  }

  return {
    async stats(query, opts = {}) {
      const from = isoSeconds(query.from);
      const to = isoSeconds(query.to);
      const params = new URLSearchParams({ limit: String(query.limit), from, to });
      const url = `${base}/api/v1/stats?${params.toString()}`;
      // Time is counted as request durations plus requested waits, so an injected sleep that
      // returns at once still uses up the budget as a real one would.
      const budget = opts.deadline !== undefined
        ? opts.deadline - Date.now() - DELIVERY_RESERVE_MS
        : (options.defaultBudgetMs ?? DEFAULT_BUDGET_MS);
      let spent = 0;
      const left = () => budget - spent;

      for (let n = 1; ; n++) {
        const started = performance.now();
        const requestMs = Math.min(timeoutMs, Math.max(MIN_REQUEST_MS, left()));
        const result = await attempt(url, requestMs);
        spent += performance.now() - started;

        if (result.kind === 'ok') return parseStats(result.body, { from, to, limit: query.limit }, n);

        let waitMs: number;
        let failure: FaamApiError;
        if (result.kind === 'status' && result.status === 401) {
          throw new FaamApiError(
            'unauthorized',
            'The FAAMView API refused the API key (HTTP 401). Check ALERT6_FAAMVIEW_API_KEY.',
            n,
            401,
          );
        } else if (result.kind === 'status' && result.status === 429) {
          const asked = parseRetryAfter(result.retryAfter, Date.now());
          waitMs = asked ?? DEFAULT_RETRY_AFTER_MS;
          failure = new FaamApiError(
            'rate_limited',
            asked !== undefined && waitMs + MIN_REQUEST_MS > left()
              ? `The FAAMView API is rate limiting this key (HTTP 429) and asked to wait ${seconds(waitMs)}, longer than this check can wait.`
              : `The FAAMView API is rate limiting this key (HTTP 429) after ${n} attempt${n === 1 ? '' : 's'}.`,
            n,
            429,
          );
        } else if (result.kind === 'status' && result.status >= 500) {
          waitMs = backoffMs * 2 ** (n - 1);
          const summary = errorSummary(result.body);
          failure = new FaamApiError(
            'server_error',
            `The FAAMView API answered HTTP ${result.status}${summary ? ` (${summary})` : ''} on ${n} attempt${n === 1 ? '' : 's'}.`,
            n,
            result.status,
          );
        } else if (result.kind === 'status') {
          const summary = errorSummary(result.body);
          throw new FaamApiError('http_error', `The FAAMView API answered HTTP ${result.status}${summary ? ` (${summary})` : ''}.`, n, result.status);
        } else if (result.kind === 'timeout') {
          waitMs = backoffMs * 2 ** (n - 1);
          failure = new FaamApiError('timeout', `The FAAMView API did not answer within ${seconds(requestMs)} on ${n} attempt${n === 1 ? '' : 's'}.`, n);
        } else {
          waitMs = backoffMs * 2 ** (n - 1);
          failure = new FaamApiError('network', `The FAAMView API could not be reached (${result.detail}) on ${n} attempt${n === 1 ? '' : 's'}.`, n);
        }

        if (n >= maxAttempts || waitMs + MIN_REQUEST_MS > left()) throw failure;
        logger.warn('FAAMView API call failed; retrying', { code: failure.code, status: failure.status, attempt: n, retryInMs: waitMs });
        await options.sleep(waitMs);
        spent += waitMs;
      }
    },
  };
}

/** Validates a 200 body; what did not fit is named in the error. */
export function parseStats(body: string, window: { from: string; to: string; limit: number }, attempts = 1): FaamStats {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new FaamApiError('malformed_json', `The FAAMView API answered HTTP 200 with malformed JSON (${reason.slice(0, 160)}).`, attempts, 200);
  }
  const parsed = faamStatsResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new FaamApiError(
      'unexpected_response',
      `The FAAMView API response does not have the expected shape: ${describeIssues(parsed.error.issues)}.`,
      attempts,
      200,
    );
  }
  const providers = [...parsed.data.data]
    .sort((a, b) => a.rank - b.rank)
    .slice(0, window.limit)
    .map((p) => ({
      provider: p.provider,
      name: providerDisplayName(p.provider),
      rank: p.rank,
      amountUsd: p.total_amount,
      percent: p.percent_of_total,
    }));
  return { providers, networkTotalUsd: parsed.data.meta.network_total, ...window };
}
