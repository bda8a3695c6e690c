import type { Exclusions, NotifyConfig } from './types.js';

/** A concrete destination for one notification. */
export type Target =
  | { kind: 'pushover' }
  /** `channel` is a `#name`, a channel id, or (with `dm: true`) a user id, as chat.postMessage accepts. */
  | { kind: 'slack'; channel: string; dm?: true }
  | { kind: 'console' };

/** The name of a target in results and logs: `pushover`, `slack:#alerts`, `slack:U01ABC`, `console`. */
export function targetName(t: Target): string {
  return t.kind === 'slack' ? `slack:${t.channel}` : t.kind;
}

// Enabled without credentials is rejected by config validation; should such a config reach this
// point anyway, the channel is treated as off instead of failing on every send.
export function pushoverActive(config: NotifyConfig): boolean {
  const p = config.pushover;
  return p.enabled && !!p.userKey && !!p.apiToken;
}

export function slackActive(config: NotifyConfig): boolean {
  const s = config.slack;
  return s.enabled && !!s.botToken;
}

/** `#ops` and `ops` name the same channel; ids are compared as written. */
function channelKey(entry: string): string {
  const t = entry.trim();
  return t.startsWith('#') ? t.slice(1) : t;
}

/**
 * Where a notification goes once the alert's exclusions are applied. Pure. The console is the
 * fallback only when no real channel is configured, so exclusions never divert a message to it:
 * an alert excluded from everything is simply not sent.
 */
export function resolveTargets(exclusions: Exclusions, config: NotifyConfig): Target[] {
  const pushover = pushoverActive(config);
  const slack = slackActive(config);
  if (!pushover && !slack) return [{ kind: 'console' }];

  const targets: Target[] = [];
  if (pushover && !exclusions.pushover) targets.push({ kind: 'pushover' });
  if (slack) {
    const excludedChannels = new Set(exclusions.channels.map(channelKey));
    const excludedUsers = new Set(exclusions.users.map((u) => u.trim()));
    // The same destination listed twice must still get the message once.
    const seen = new Set<string>();
    for (const raw of config.slack.channels) {
      const channel = raw.trim();
      if (!channel || excludedChannels.has(channelKey(channel)) || seen.has(channelKey(channel))) continue;
      seen.add(channelKey(channel));
      targets.push({ kind: 'slack', channel });
    }
    for (const raw of config.slack.users) {
      const user = raw.trim();
      if (!user || excludedUsers.has(user) || seen.has(user)) continue;
      seen.add(user);
      targets.push({ kind: 'slack', channel: user, dm: true });
    }
  }
  return targets;
}
