import { logger } from '../lambda/logger.js';
import { createConsoleNotifier } from './console.js';
import { type Notifier, type NotifierContext, realSleep } from './notifier.js';
import { createPushoverNotifier } from './pushover.js';
import { createSlackNotifier } from './slack.js';
import { resolveTargets, targetName, type Target } from './targets.js';
import { describeError } from './text.js';
import type { DeliveryResult, Exclusions, Notification, NotifyConfig } from './types.js';

export interface DeliverOptions {
  /** Epoch ms by which all retries must be over (the Lambda's remaining time, minus a margin). */
  deadline?: number;
  /** Injected for tests: how to wait before a retry (default: real setTimeout). */
  sleep?: (ms: number) => Promise<void>;
  /** Where the console channel prints (default process.stdout.write). */
  write?: (text: string) => void;
}

/** Used when the caller gives no deadline: long enough for a Pushover retry, short of a Lambda timeout. */
export const DEFAULT_DELIVERY_BUDGET_MS = 30_000;

function notifierFor(t: Target, config: NotifyConfig, ctx: NotifierContext, write: (text: string) => void): Notifier {
  switch (t.kind) {
    case 'pushover':
      return createPushoverNotifier(config.pushover, ctx);
    case 'slack':
      return createSlackNotifier(config.slack, t.channel, ctx);
    case 'console':
      return createConsoleNotifier(write);
  }
}

/**
 * Send one notification to every target left after the alert's exclusions. Targets are sent
 * concurrently and independently, each with its own retries, so a failing target neither delays
 * nor stops the others and a delivered one is never sent twice. Never throws; the results say
 * what happened per target.
 */
export async function deliver(
  n: Notification,
  exclusions: Exclusions,
  config: NotifyConfig,
  opts: DeliverOptions = {},
): Promise<DeliveryResult[]> {
  const ctx: NotifierContext = {
    deadline: opts.deadline ?? Date.now() + DEFAULT_DELIVERY_BUDGET_MS,
    sleep: opts.sleep ?? realSleep,
  };
  const write = opts.write ?? ((text: string) => void process.stdout.write(text));
  const targets = resolveTargets(exclusions, config);
  const results = await Promise.all(
    targets.map(async (t) => {
      try {
        return await notifierFor(t, config, ctx, write).send(n);
      } catch (err) {
        // Notifiers report failures as results; this only catches a bug, and keeps it contained.
        const error = describeError(err);
        logger.error('Notifier failed unexpectedly', { target: targetName(t), error });
        return { target: targetName(t), ok: false, error, attempts: 0 };
      }
    }),
  );
  if (targets.length === 0) logger.info('Notification not sent: every target is excluded for this alert', { title: n.title });
  return results;
}
