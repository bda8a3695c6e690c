import { jest } from '@jest/globals';
import type { Env } from '../../shared/config/env.js';
import { testRuntime } from '../support/embedded.js';
import { partyId, type FaamDataset, type FakeFaam } from '../support/fake-faam.js';

export const PUSHOVER_TOKEN = 'aFaamTestToken00000000000000000';
export const PUSHOVER_USER = 'uFaamTestUser000000000000000000';

/** Providers of a `stats` dataset: [name, percent_of_total, total_amount]. */
export function statsDataset(networkTotal: number, rows: Array<[string, number, number]>): FaamDataset {
  return {
    kind: 'stats',
    networkTotal,
    providers: rows.map(([name, percent, amount]) => ({ provider: partyId(name), percent_of_total: percent, total_amount: amount })),
  };
}

/** The figures behind the spec's Alert 6 example notification. */
export const SPEC_ALERT6 = statsDataset(9449838.1, [
  ['cantonloop-mainnet-1', 26.0501, 2460654.38],
  ['cbtc-network', 26.3499, 2489832.1],
  ['provider-xyz', 5.8, 548090.6],
  ['node-fortress', 7.5, 708737.86],
  ['canton-pool', 6.4, 604789.64],
]);

/** The spec's worked example: top 2 over 24 h = 26.0501 + 14.1903 = 40.2404%. */
export const WORKED_EXAMPLE = statsDataset(9449838.1, [
  ['cantonloop-mainnet-1', 26.0501, 2461692.38],
  ['cbtc-network', 14.1903, 1340956.2],
  ['provider-xyz', 9.5369, 901220.5],
]);

/**
 * A runtime on the real store (fresh tables), pointed at the fake FAAM server, whose clock is
 * settable and whose waits are recorded instead of spent.
 */
export async function faamRuntime(storeEndpoint: string, faam: FakeFaam, env: Env, now = '2025-12-10T18:00:00Z') {
  const waits: number[] = [];
  const rt = await testRuntime(
    storeEndpoint,
    { ALERT6_FAAMVIEW_API_URL: faam.url, ALERT6_FAAMVIEW_API_KEY: faam.apiKey, ...env },
    { sleep: async (ms: number) => void waits.push(ms) },
  );
  rt.clock.now = new Date(now);
  const advance = (minutes: number) => {
    rt.clock.now = new Date(rt.clock.now.getTime() + minutes * 60_000);
  };
  return Object.assign(rt, { waits, advance });
}

/** Everything written to stdout/stderr (the structured logger) while active. */
export function captureOutput() {
  const chunks: string[] = [];
  const record = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(record as never),
    jest.spyOn(process.stderr, 'write').mockImplementation(record as never),
  ];
  return {
    text: () => chunks.join(''),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}
