import type { CheckConfig, CheckContext } from '../../alerting/types.js';
import { logger } from '../../lambda/logger.js';
import { concentrationSeries, writeConcentration, type ConcentrationShare } from '../../store/concentration.js';
import type { FaamStats } from './schema.js';

/**
 * Records what a check computed, for the concentration history. A dry run records nothing. A
 * failed write is logged and does not fail the check: the notification matters more than the
 * history point, and reporting it as "the FAAMView API cannot be read" would mislead.
 */
export async function recordConcentration(
  ctx: CheckContext,
  check: CheckConfig,
  windowHours: number,
  stats: FaamStats,
  shares: ConcentrationShare[],
): Promise<void> {
  if (ctx.dryRun) return;
  try {
    await writeConcentration(ctx.store, {
      series: concentrationSeries(check.key),
      ts: ctx.now.toISOString(),
      check: check.key,
      name: check.name,
      window_from: stats.from,
      window_to: stats.to,
      window_hours: windowHours,
      network_total_usd: stats.networkTotalUsd,
      provider_count: stats.providers.length,
      limit: stats.limit,
      shares,
      providers: stats.providers.map((p) => ({
        rank: p.rank,
        name: p.name,
        provider: p.provider,
        percent: p.percent,
        amount_usd: p.amountUsd,
      })),
    });
  } catch (err) {
    logger.warn('Could not record concentration history', { check: check.key, error: err instanceof Error ? err.message : String(err) });
  }
}
