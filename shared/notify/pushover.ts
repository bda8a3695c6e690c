import { logger } from '../lambda/logger.js';
import type { Notifier, NotifierContext } from './notifier.js';
import { describeError, redactSecrets, truncate } from './text.js';
import type { DeliveryResult, Notification, NotifyConfig } from './types.js';

export const PUSHOVER_API_URL = 'https://api.pushover.net';
/** Documented limits, in characters (code points). */
export const PUSHOVER_TITLE_LIMIT = 250;
export const PUSHOVER_MESSAGE_LIMIT = 1024;

/** Pushover asks clients to wait at least 5 s between retries after a 5xx or a network failure. */
export const PUSHOVER_RETRY_DELAY_MS = 5_000;
const MAX_ATTEMPTS = 3;
/** One request never waits longer than this, nor past the deadline. */
const REQUEST_TIMEOUT_MS = 10_000;
/** A retry is only worth starting if at least this much time is left for the request itself. */
const MIN_REQUEST_WINDOW_MS = 2_000;

const TARGET = 'pushover';

type Outcome =
  | { kind: 'ok' }
  /** Rejected by Pushover: sending the same request again cannot help. */
  | { kind: 'fatal'; error: string }
  /** Server or network trouble: a later try may succeed. */
  | { kind: 'transient'; error: string };

/** The fields of a Pushover message; exported so tests can assert on what the API receives. */
export function pushoverPayload(n: Notification, userKey: string, apiToken: string): Record<string, string> {
  return {
    token: apiToken,
    user: userKey,
    title: truncate(n.title, PUSHOVER_TITLE_LIMIT),
    message: truncate(n.message, PUSHOVER_MESSAGE_LIMIT),
    priority: String(n.priority),
  };
}

export function createPushoverNotifier(config: NotifyConfig['pushover'], ctx: NotifierContext): Notifier {
  const secrets = [config.apiToken, config.userKey];
  const endpoint = `${(config.apiUrl || PUSHOVER_API_URL).replace(/\/+$/, '')}/1/messages.json`;

  async function attempt(body: URLSearchParams): Promise<Outcome> {
    const timeout = Math.max(1, Math.min(REQUEST_TIMEOUT_MS, ctx.deadline - Date.now()));
    let res: Response;
    let text: string;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(timeout),
      });
      text = await res.text();
    } catch (err) {
      // The token travels in the body, not the URL, so fetch's error text cannot contain it;
      // redacted anyway in case a cause ever echoes request data.
      return { kind: 'transient', error: `network_error: ${redactSecrets(describeError(err), secrets)}` };
    }
    if (res.status === 200) {
      const parsed = parseJson(text);
      if (parsed?.status === 1) return { kind: 'ok' };
      return { kind: 'fatal', error: `http_200: unexpected response ${redactSecrets(text.slice(0, 200), secrets)}` };
    }
    const firstError = redactSecrets(firstErrorText(text), secrets);
    const error = firstError ? `http_${res.status}: ${firstError}` : `http_${res.status}`;
    if (res.status >= 500) return { kind: 'transient', error };
    if (res.status === 429) {
      logger.error('Pushover refused the message: the application’s monthly message quota is used up; not retried', {
        target: TARGET,
        status: 429,
        error,
      });
      return { kind: 'fatal', error };
    }
    logger.error('Pushover rejected the message; not retried', { target: TARGET, status: res.status, error });
    return { kind: 'fatal', error };
  }

  return {
    target: TARGET,
    async send(n): Promise<DeliveryResult> {
      if (!config.userKey || !config.apiToken) {
        return { target: TARGET, ok: false, error: 'not_configured', attempts: 0 };
      }
      const body = new URLSearchParams(pushoverPayload(n, config.userKey, config.apiToken));
      let attempts = 0;
      for (;;) {
        attempts++;
        const outcome = await attempt(body);
        if (outcome.kind === 'ok') {
          logger.info('Notification delivered', { target: TARGET, attempts });
          return { target: TARGET, ok: true, attempts };
        }
        if (outcome.kind === 'fatal') return { target: TARGET, ok: false, error: outcome.error, attempts };

        // Back off further on each retry, never below the 5 s Pushover asks for.
        const delay = PUSHOVER_RETRY_DELAY_MS * attempts;
        const fitsDeadline = Date.now() + delay + MIN_REQUEST_WINDOW_MS <= ctx.deadline;
        if (attempts >= MAX_ATTEMPTS || !fitsDeadline) {
          logger.error('Pushover delivery failed; giving up', {
            target: TARGET,
            error: outcome.error,
            attempts,
            reason: fitsDeadline ? 'attempts exhausted' : 'no time left before the deadline for another try',
          });
          return { target: TARGET, ok: false, error: outcome.error, attempts };
        }
        logger.warn('Pushover delivery failed; retrying', { target: TARGET, error: outcome.error, attempts, retryInMs: delay });
        await ctx.sleep(delay);
      }
    },
  };
}

function parseJson(text: string): { status?: unknown; errors?: unknown } | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as { status?: unknown; errors?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** Pushover explains a rejection in `errors[]`; the first entry is enough for a log line. */
function firstErrorText(text: string): string {
  const errors = parseJson(text)?.errors;
  if (Array.isArray(errors) && errors.length > 0) return String(errors[0]);
  return '';
}
