import { jest } from '@jest/globals';
import type { NotifyConfig } from '../../shared/notify/types.js';

export const PUSHOVER_TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
export const PUSHOVER_USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

/** A config with both channels off; tests switch on what they exercise. */
export function baseConfig(): NotifyConfig {
  return {
    pushover: { enabled: false, apiUrl: 'http://127.0.0.1:9' },
    slack: { enabled: false, channels: [], users: [] },
  };
}

/** A sleep that records what was asked for and returns at once, so retry tests take no wall-clock time. */
export function recordingSleep() {
  const calls: number[] = [];
  const sleep = async (ms: number) => {
    calls.push(ms);
  };
  return { calls, sleep };
}

/**
 * Everything the process prints while active: the structured logger writes to process.stdout /
 * process.stderr, libraries may use console.*.
 */
export function captureOutput() {
  const chunks: string[] = [];
  const record = (...args: unknown[]) => {
    chunks.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Uint8Array ? Buffer.from(a).toString('utf8') : JSON.stringify(a))).join(' '));
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => (record(chunk), true)) as never),
    jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown) => (record(chunk), true)) as never),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m).mockImplementation(record)),
  ];
  return {
    text: () => chunks.join('\n'),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}
