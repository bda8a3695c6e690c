/**
 * A local stand-in for Slack's Web API method chat.postMessage, answering like Slack does (errors
 * as HTTP 200 with ok:false, rate limits as 429 + Retry-After), so tests never reach the internet.
 */
import { parseFields, readBody, startLoopbackServer } from './loopback.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SlackRequest {
  /** The Web API method, e.g. `chat.postMessage`. */
  method: string;
  contentType: string;
  /** The Authorization header as received. */
  authorization: string;
  /** All arguments as received (form-encoded, as @slack/web-api sends them, or JSON). */
  params: Record<string, string>;
  channel?: string;
  text?: string;
  /** What this fake answered: HTTP status and, for HTTP 200, Slack's ok/error. */
  status: number;
  ok?: boolean;
  error?: string;
}

/** A scripted answer for the next request to one channel. */
export type SlackScript = { error: string } | { status: 429; retryAfter?: number } | { status: number };

export interface FakeSlack {
  /** Use as slackApiUrl / SLACK_API_URL; ends with `/` because the client appends the method name. */
  url: string;
  token: string;
  requests: SlackRequest[];
  /** Answers for the next requests to `channel` (as sent: `#name`, id or user id), in order; afterwards it succeeds. */
  script(channel: string, ...responses: SlackScript[]): void;
  /** Successful chat.postMessage requests, i.e. what was actually posted. */
  delivered(): SlackRequest[];
  close(): Promise<void>;
}

export async function startFakeSlack(options: { token?: string } = {}): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-fake-0000000000-test-token';
  const requests: SlackRequest[] = [];
  const scripts = new Map<string, SlackScript[]>();
  let ts = 1_700_000_000;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const params = parseFields(raw, contentType);
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const record: SlackRequest = {
      method,
      contentType,
      authorization: String(req.headers.authorization ?? ''),
      params,
      channel: params.channel,
      text: params.text,
      status: 0,
    };
    requests.push(record);

    const reply = (status: number, body: object | string, headers: Record<string, string> = {}) => {
      record.status = status;
      if (typeof body === 'object' && 'ok' in body) {
        record.ok = Boolean(body.ok);
        if ('error' in body) record.error = String(body.error);
      }
      res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };

    if (req.method !== 'POST' || !(req.url ?? '').startsWith('/api/')) return reply(404, 'Not Found');
    if (record.authorization !== `Bearer ${token}`) return reply(200, { ok: false, error: params.token || record.authorization ? 'invalid_auth' : 'not_authed' });
    if (method !== 'chat.postMessage') return reply(200, { ok: false, error: 'unknown_method' });

    const channel = params.channel ?? '';
    const scripted = scripts.get(channel)?.shift();
    if (scripted && 'error' in scripted) return reply(200, { ok: false, error: scripted.error });
    if (scripted && scripted.status === 429) {
      const retryAfter = 'retryAfter' in scripted && scripted.retryAfter !== undefined ? scripted.retryAfter : 1;
      return reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(retryAfter) });
    }
    if (scripted) return reply(scripted.status, `fake server error ${scripted.status}`);

    if (!channel) return reply(200, { ok: false, error: 'channel_not_found' });
    if (!params.text && !params.blocks && !params.attachments) return reply(200, { ok: false, error: 'no_text' });
    ts += 1;
    return reply(200, { ok: true, channel: channelId(channel), ts: `${ts}.000100`, message: { text: params.text ?? '', type: 'message' } });
  }

  const { port, close } = await startLoopbackServer(handle);
  return {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    requests,
    script: (channel, ...responses) => {
      const q = scripts.get(channel) ?? [];
      q.push(...responses);
      scripts.set(channel, q);
    },
    delivered: () => requests.filter((r) => r.method === 'chat.postMessage' && r.status === 200 && r.ok === true),
    close,
  };
}

/** Slack answers with the resolved id: `C…` for channels, `D…` (the DM) for a user id. */
function channelId(channel: string): string {
  if (/^U[A-Z0-9]+$/.test(channel)) return `D${channel.slice(1)}`;
  if (/^[CG][A-Z0-9]+$/.test(channel)) return channel;
  let h = 0;
  for (const ch of channel) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return `C${h.toString(36).toUpperCase().padStart(8, '0')}`;
}


