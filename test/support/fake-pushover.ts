/**
 * A local stand-in for the Pushover messages API (POST /1/messages.json), enforcing the parts of
 * the documented contract the notifier relies on, so tests never reach the internet.
 */
import { parseFields, readBody, startLoopbackServer } from './loopback.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface PushoverRequest {
  method: string;
  path: string;
  contentType: string;
  /** All fields as received (form-encoded or JSON). */
  fields: Record<string, string>;
  token?: string;
  user?: string;
  title?: string;
  message?: string;
  priority?: number;
  /** The HTTP status this fake answered with (0 when the connection was dropped). */
  status: number;
}

/** A scripted answer for the next request: an HTTP status (500, 503, 429, 400…) or a dropped connection. */
export type PushoverScript = { status: number; errors?: string[] } | { drop: true };

export interface FakePushover {
  /** Use as PUSHOVER_API_URL (no trailing slash). */
  url: string;
  requests: PushoverRequest[];
  /** Answers for the next requests, in order; afterwards requests are validated normally. */
  script(...responses: PushoverScript[]): void;
  close(): Promise<void>;
}

export interface FakePushoverOptions {
  /** When given, any other token is rejected like Pushover does. */
  token?: string;
  /** When given, any other user key is rejected. */
  user?: string;
}

const codePoints = (s: string) => [...s].length;

export async function startFakePushover(options: FakePushoverOptions = {}): Promise<FakePushover> {
  const requests: PushoverRequest[] = [];
  const queue: PushoverScript[] = [];
  let counter = 0;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const fields = parseFields(raw, contentType);
    const record: PushoverRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      contentType,
      fields,
      token: fields.token,
      user: fields.user,
      title: fields.title,
      message: fields.message,
      priority: fields.priority === undefined ? undefined : Number(fields.priority),
      status: 0,
    };
    requests.push(record);

    const reply = (status: number, body: object) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const requestId = `fake-${++counter}`;

    const scripted = queue.shift();
    if (scripted && 'drop' in scripted) {
      req.socket.destroy();
      return;
    }
    if (scripted) {
      const errors = scripted.errors ?? [scripted.status === 429 ? 'application has exceeded its message quota' : 'internal error'];
      return reply(scripted.status, { status: 0, errors, request: requestId });
    }

    if (req.method !== 'POST' || req.url !== '/1/messages.json') return reply(404, { status: 0, errors: ['not found'], request: requestId });
    const errors: string[] = [];
    if (!fields.token) errors.push('application token is invalid, see https://pushover.net/api');
    else if (options.token !== undefined && fields.token !== options.token) errors.push('application token is invalid, see https://pushover.net/api');
    if (!fields.user) errors.push('user identifier is not a valid user, group, or subscribed user key, see https://pushover.net/api#identifiers');
    else if (options.user !== undefined && fields.user !== options.user) errors.push('user identifier is not a valid user, group, or subscribed user key, see https://pushover.net/api#identifiers');
    if (!fields.message) errors.push('message cannot be blank');
    else if (codePoints(fields.message) > 1024) errors.push('message cannot be longer than 1024 characters');
    if (fields.title !== undefined && codePoints(fields.title) > 250) errors.push('title cannot be longer than 250 characters');
    if (fields.priority !== undefined && !/^-?[0-2]$/.test(fields.priority)) errors.push('priority is invalid');
    if (fields.priority === '2' && (!fields.retry || !fields.expire)) errors.push('retry and expire are required for emergency priority');
    if (errors.length > 0) return reply(400, { status: 0, errors, request: requestId });
    return reply(200, { status: 1, request: requestId });
  }

  const { port, close } = await startLoopbackServer(handle);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...responses) => void queue.push(...responses),
    close,
  };
}


