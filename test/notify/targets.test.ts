import { describe, expect, it } from '@jest/globals';
import { resolveTargets } from '../../shared/notify/targets.js';
import { NO_EXCLUSIONS, type NotifyConfig } from '../../shared/notify/types.js';
import { baseConfig } from './helpers.js';

function fullConfig(): NotifyConfig {
  const c = baseConfig();
  c.pushover = { enabled: true, userKey: 'u', apiToken: 't', apiUrl: 'https://api.pushover.net' };
  c.slack = { enabled: true, botToken: 'xoxb-1', channels: ['#alerts', 'C0123OPS', '#ops'], users: ['U01ABC', 'U02XYZ'] };
  return c;
}

describe('resolveTargets', () => {
  it('sends everything everywhere by default', () => {
    expect(resolveTargets(NO_EXCLUSIONS, fullConfig())).toEqual([
      { kind: 'pushover' },
      { kind: 'slack', channel: '#alerts' },
      { kind: 'slack', channel: 'C0123OPS' },
      { kind: 'slack', channel: '#ops' },
      { kind: 'slack', channel: 'U01ABC', dm: true },
      { kind: 'slack', channel: 'U02XYZ', dm: true },
    ]);
  });

  it('applies pushover, channel and user exclusions; #name and name match each other', () => {
    const targets = resolveTargets({ pushover: true, channels: ['ops', 'C0123OPS'], users: ['U02XYZ'] }, fullConfig());
    expect(targets).toEqual([
      { kind: 'slack', channel: '#alerts' },
      { kind: 'slack', channel: 'U01ABC', dm: true },
    ]);
    const c = fullConfig();
    c.slack.channels = ['alerts'];
    expect(resolveTargets({ pushover: false, channels: ['#alerts'], users: [] }, c)).toEqual([
      { kind: 'pushover' },
      { kind: 'slack', channel: 'U01ABC', dm: true },
      { kind: 'slack', channel: 'U02XYZ', dm: true },
    ]);
  });

  it('does not treat a partial name as a match', () => {
    const targets = resolveTargets({ pushover: false, channels: ['#alert'], users: ['U01'] }, fullConfig());
    expect(targets).toHaveLength(6);
  });

  it('sends a destination listed twice only once', () => {
    const c = fullConfig();
    c.slack.channels = ['#alerts', 'alerts', '#alerts'];
    c.slack.users = ['U01ABC', 'U01ABC'];
    expect(resolveTargets(NO_EXCLUSIONS, c)).toEqual([
      { kind: 'pushover' },
      { kind: 'slack', channel: '#alerts' },
      { kind: 'slack', channel: 'U01ABC', dm: true },
    ]);
  });

  it('falls back to the console only when no channel is enabled, ignoring exclusions', () => {
    expect(resolveTargets(NO_EXCLUSIONS, baseConfig())).toEqual([{ kind: 'console' }]);
    expect(resolveTargets({ pushover: true, channels: ['#a'], users: ['U1'] }, baseConfig())).toEqual([{ kind: 'console' }]);
    // Enabled without credentials counts as off here (config validation reports it).
    const c = baseConfig();
    c.pushover.enabled = true;
    c.slack.enabled = true;
    c.slack.channels = ['#alerts'];
    expect(resolveTargets(NO_EXCLUSIONS, c)).toEqual([{ kind: 'console' }]);
  });

  it('sends nowhere, not to the console, when an alert excludes every configured target', () => {
    const c = fullConfig();
    c.slack.enabled = false;
    expect(resolveTargets({ pushover: true, channels: [], users: [] }, c)).toEqual([]);
  });
});
