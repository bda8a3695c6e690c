/**
 * A local stand-in for the FAAMView API (GET /api/v1/stats), following the contract in
 * FAAMVIEW_API.md: it checks X-API-Key, honours limit/from/to, and answers like the real one on
 * errors. Failure modes are scripted per request, so tests never reach the internet.
 */
import { startLoopbackServer } from './loopback.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One provider's aggregate for a window, as the API returns it. */
export interface FaamStat {
  provider: string;
  total_amount: number;
  percent_of_total: number;
  marker_count?: number;
}

/** One reward (AppRewardCoupon) at a moment; the fake aggregates these per requested window. */
export interface FaamReward {
  provider: string;
  amount: number;
  at: string;
}

/**
 * What the fake serves:
 * - `stats`: fixed aggregates returned in the order given (the spec's examples quote figures that
 *   are not derivable from one another, so they are served as they are); limit applies, from/to
 *   are echoed in meta;
 * - `rewards`: individual rewards, aggregated over [from, to) and ranked by total amount, so a
 *   window that misses a reward really does not count it.
 */
export type FaamDataset =
  | { kind: 'stats'; networkTotal: number; providers: FaamStat[] }
  | { kind: 'rewards'; rewards: FaamReward[] };

/** A scripted answer for the next request, instead of the dataset. */
export type FaamScript =
  | { status: 401 }
  | { status: 429; retryAfter?: string }
  | { status: number; body?: string }
  /** Answers normally, but only after this many milliseconds. */
  | { delayMs: number }
  /** HTTP 200 with this raw body (malformed JSON, or JSON of the wrong shape). */
  | { rawBody: string }
  | { drop: true };

export interface FaamRequest {
  path: string;
  /** Whether the X-API-Key header matched (the key itself is not kept). */
  keyAccepted: boolean;
  limit?: string;
  from?: string;
  to?: string;
  status: number;
}

export interface FakeFaam {
  /** Use as ALERT6_FAAMVIEW_API_URL. */
  url: string;
  apiKey: string;
  requests: FaamRequest[];
  setDataset(dataset: FaamDataset): void;
  script(...responses: FaamScript[]): void;
  /** Forgets recorded requests and unused scripts; the dataset stays. */
  reset(): void;
  close(): Promise<void>;
}

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;
const round2 = (n: number): number => Math.round(n * 100) / 100;

/** `name::1220` followed by a fixed-looking fingerprint, like real party ids. */
export const partyId = (name: string): string => `${name}::1220${Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64)}`;

function aggregate(rewards: FaamReward[], from?: number, to?: number) {
  const inWindow = rewards.filter((r) => {
    const at = Date.parse(r.at);
    return (from === undefined || at >= from) && (to === undefined || at < to);
  });
  const totals = new Map<string, { amount: number; count: number }>();
  for (const r of inWindow) {
    const t = totals.get(r.provider) ?? { amount: 0, count: 0 };
    t.amount += r.amount;
    t.count += 1;
    totals.set(r.provider, t);
  }
  const networkTotal = [...totals.values()].reduce((s, t) => s + t.amount, 0);
  const providers: FaamStat[] = [...totals.entries()]
    .sort((a, b) => b[1].amount - a[1].amount)
    .map(([provider, t]) => ({
      provider,
      total_amount: round2(t.amount),
      percent_of_total: networkTotal > 0 ? round4((t.amount / networkTotal) * 100) : 0,
      marker_count: t.count,
    }));
  return { networkTotal: round2(networkTotal), providers };
}

export async function startFakeFaam(options: { apiKey?: string; dataset?: FaamDataset } = {}): Promise<FakeFaam> {
  const apiKey = options.apiKey ?? 'faam_test_key_abc123def456ghi789jkl012mno345';
  let dataset: FaamDataset = options.dataset ?? { kind: 'stats', networkTotal: 0, providers: [] };
  const requests: FaamRequest[] = [];
  const queue: FaamScript[] = [];
  const timers = new Set<NodeJS.Timeout>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const q = url.searchParams;
    const record: FaamRequest = {
      path: url.pathname,
      keyAccepted: req.headers['x-api-key'] === apiKey,
      ...(q.has('limit') ? { limit: q.get('limit')! } : {}),
      ...(q.has('from') ? { from: q.get('from')! } : {}),
      ...(q.has('to') ? { to: q.get('to')! } : {}),
      status: 0,
    };
    requests.push(record);
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(body);
    };
    const json = (status: number, body: object, headers: Record<string, string> = {}) => reply(status, JSON.stringify(body), headers);

    let scripted = queue.shift();
    if (scripted && 'drop' in scripted) {
      req.socket.destroy();
      return;
    }
    if (scripted && 'delayMs' in scripted) {
      const delay = scripted.delayMs;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, delay);
        timers.add(t);
      });
      if (res.destroyed || req.socket.destroyed) return;
      scripted = undefined;
    }

    if (req.method !== 'GET' || url.pathname !== '/api/v1/stats') return json(404, { error: 'Not Found', message: `Cannot ${req.method} ${url.pathname}` });
    if (!req.headers['x-api-key']) return json(401, { error: 'Unauthorized', message: 'Missing X-API-Key header' });
    if (!record.keyAccepted || (scripted && 'status' in scripted && scripted.status === 401)) return json(401, { error: 'Unauthorized', message: 'Invalid API key' });
    if (scripted && 'status' in scripted && scripted.status === 429) {
      const retryAfter = 'retryAfter' in scripted ? scripted.retryAfter : undefined;
      return json(
        429,
        { error: 'Too Many Requests', message: 'Rate limit exceeded. Please try again later.' },
        retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
      );
    }
    if (scripted && 'status' in scripted) {
      const body = 'body' in scripted && scripted.body !== undefined ? scripted.body : JSON.stringify({ error: 'Internal Server Error', message: 'fake failure' });
      return reply(scripted.status, body);
    }
    if (scripted && 'rawBody' in scripted) return reply(200, scripted.rawBody);

    const limitRaw = q.get('limit');
    const limit = limitRaw === null ? undefined : Number(limitRaw);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) return json(400, { error: 'Bad Request', message: 'limit must be a positive integer' });
    const from = q.get('from');
    const to = q.get('to');
    for (const [name, value] of [['from', from], ['to', to]] as const) {
      if (value !== null && Number.isNaN(Date.parse(value))) return json(400, { error: 'Bad Request', message: `${name} must be an ISO 8601 timestamp` });
    }

    const window =
      dataset.kind === 'stats'
        ? { networkTotal: dataset.networkTotal, providers: dataset.providers }
        : aggregate(dataset.rewards, from === null ? undefined : Date.parse(from), to === null ? undefined : Date.parse(to));
    const data = window.providers.slice(0, limit).map((p, i) => ({
      provider: p.provider,
      rank: i + 1,
      marker_count: p.marker_count ?? 1000 - i,
      total_amount: p.total_amount,
      percent_of_total: p.percent_of_total,
      unique_providers_count: 1,
      unique_beneficiaries_count: 1,
    }));
    return json(200, {
      success: true,
      data,
      meta: {
        network_total: window.networkTotal,
        count: data.length,
        filters: { provider: null, from, to, from_round: null, to_round: null },
        sort: { by: 'total_amount', order: 'desc' },
        limit: limit ?? null,
      },
    });
  }

  const listening = await startLoopbackServer(handle);
  const { port } = listening;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    setDataset: (d) => {
      dataset = d;
    },
    script: (...responses) => void queue.push(...responses),
    reset: () => {
      requests.length = 0;
      queue.length = 0;
    },
    close: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return listening.close();
    },
  };
}
