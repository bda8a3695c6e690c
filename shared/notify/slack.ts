import {
  type Logger as SlackLogger,
  LogLevel as SlackLogLevel,
  type RetryOptions,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { logger } from '../lambda/logger.js';
import type { Notifier, NotifierContext } from './notifier.js';
import { targetName } from './targets.js';
import { describeError, redactSecrets, truncate } from './text.js';
import type { DeliveryResult, Notification, NotifyConfig } from './types.js';

/** Slack truncates longer message texts itself; cutting here keeps the end marker ours. */
const SLACK_TEXT_LIMIT = 40_000;
/** One request never waits longer than this, nor past the deadline. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The client's own retry policy (p-retry/node-retry): a few tries with exponential backoff for
 * 5xx and network failures. `maxRetryTime` is added per target from the deadline.
 */
const RETRY: Readonly<RetryOptions> = { retries: 2, factor: 2, minTimeout: 1_000, maxTimeout: 4_000, randomize: false };

/** Slack mrkdwn treats these three as control characters; the API asks for them escaped. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Bold title, blank line, message: readable in the channel and in the push preview. */
export function formatSlackText(n: Notification): string {
  return truncate(`*${escapeSlack(n.title)}*\n\n${escapeSlack(n.message)}`, SLACK_TEXT_LIMIT);
}

/**
 * The client's log output, forwarded to ours without debug chatter and with the token scrubbed.
 * The client already redacts tokens in its own debug lines, but messages it builds from errors are
 * not covered by that, so nothing goes through unscrubbed.
 */
function clientLogger(secret: string, target: string): SlackLogger {
  const line = (msg: unknown[]) =>
    redactSecrets(msg.map((m) => (typeof m === 'string' ? m : describeError(m))).join(' '), [secret]);
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => logger.info(line(msg), { target, source: 'slack-web-api' }),
    warn: (...msg: unknown[]) => logger.warn(line(msg), { target, source: 'slack-web-api' }),
    error: (...msg: unknown[]) => logger.error(line(msg), { target, source: 'slack-web-api' }),
    setLevel: () => undefined,
    getLevel: () => SlackLogLevel.INFO,
    setName: () => undefined,
  };
}

/** A Slack error reduced to a code safe to log and report (never the error object itself). */
function errorCode(err: unknown, state: { rateLimitedPastDeadline: boolean; lastStatus?: number }): string {
  if (err instanceof WebAPIPlatformError) return String(err.data.error);
  if (err instanceof WebAPIHTTPError) return `http_${err.statusCode}`;
  if (err instanceof WebAPIRateLimitedError) return 'rate_limited';
  if (state.rateLimitedPastDeadline) return 'rate_limited';
  if (err instanceof WebAPIRequestError) return `network_error: ${describeError(err.original)}`;
  // The retry policy gave up on time; report the last thing the server said.
  if (state.lastStatus !== undefined && state.lastStatus !== 200) return `http_${state.lastStatus}`;
  return describeError(err);
}

/**
 * Posts to one Slack destination (channel `#name`, channel id, or user id for a DM).
 *
 * Each target gets its own WebClient: the client pauses its whole request queue while it honours a
 * 429, and chat.postMessage is rate limited per channel, so one throttled channel should not hold
 * up the others; it also lets the client's `fetch` hook count this target's attempts.
 */
export function createSlackNotifier(config: NotifyConfig['slack'], channel: string, ctx: NotifierContext): Notifier {
  const target = targetName({ kind: 'slack', channel });
  const token = config.botToken ?? '';

  return {
    target,
    async send(n): Promise<DeliveryResult> {
      if (!token) return { target, ok: false, error: 'not_configured', attempts: 0 };
      const remaining = ctx.deadline - Date.now();
      const requestTimeout = Math.max(1, Math.min(REQUEST_TIMEOUT_MS, remaining));
      // node-retry checks maxRetryTime only when an attempt fails, so leave room for the longest
      // backoff and one more request after that check. It reads 0 as "no limit", hence retries: 0
      // when there is no room at all.
      const maxRetryTime = remaining - (RETRY.maxTimeout ?? 0) - requestTimeout;
      const retryConfig: RetryOptions = maxRetryTime > 0 ? { ...RETRY, maxRetryTime } : { retries: 0 };
      const state: { attempts: number; rateLimitedPastDeadline: boolean; lastStatus?: number } = {
        attempts: 0,
        rateLimitedPastDeadline: false,
      };

      // The client's fetch hook, used only to count attempts and to keep the client within the
      // deadline; retrying stays the client's job.
      const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        if (Date.now() >= ctx.deadline) throw new Error('deadline reached before the request was sent');
        state.attempts++;
        const res = await fetch(input, init);
        state.lastStatus = res.status;
        if (res.status === 429) {
          const retryAfterSec = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
          const waitEnd = Date.now() + retryAfterSec * 1000 + (RETRY.maxTimeout ?? 0) + requestTimeout;
          if (Number.isFinite(retryAfterSec) && waitEnd > ctx.deadline) {
            // The client would sleep for Retry-After even if that runs past the deadline. A 429
            // without the header is, to the client, a final failure, so present it that way.
            state.rateLimitedPastDeadline = true;
            const headers = new Headers(res.headers);
            headers.delete('retry-after');
            return new Response(await res.text(), { status: 429, statusText: res.statusText, headers });
          }
        }
        return res;
      };

      const client = new WebClient(token, {
        slackApiUrl: config.apiUrl, // undefined → the client's default, https://slack.com/api/
        logger: clientLogger(token, target),
        retryConfig,
        // Wait out a 429's Retry-After and try again (bounded above) rather than fail at once.
        rejectRateLimitedCalls: false,
        timeout: requestTimeout,
        fetch: guardedFetch,
        // Method names are never URLs here; do not let one redirect the token elsewhere.
        allowAbsoluteUrls: false,
      });

      try {
        await client.chat.postMessage({ channel, text: formatSlackText(n) });
        logger.info('Notification delivered', { target, attempts: state.attempts });
        return { target, ok: true, attempts: state.attempts };
      } catch (err) {
        const error = redactSecrets(errorCode(err, state), [token]);
        // ok:false answers (not_in_channel, channel_not_found, is_archived, invalid_auth) are not
        // retried by the client: they need someone to change Slack or the configuration.
        logger.error('Slack delivery failed', { target, error, attempts: state.attempts });
        return { target, ok: false, error, attempts: state.attempts };
      }
    },
  };
}
