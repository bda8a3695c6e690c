import { z } from 'zod';

/**
 * The FAAMView `GET /api/v1/stats` response (FAAMVIEW_API.md). Fields the monitor relies on are
 * required and checked; fields it does not use are optional, so an addition on the provider's side
 * does not stop the alerts.
 */
export const faamProviderStatSchema = z
  .object({
    /** Party id, e.g. `cantonloop-mainnet-1::1220ab…`. */
    provider: z.string().min(1),
    rank: z.number().int().min(1),
    marker_count: z.number().int().min(0).optional(),
    /** USD. */
    total_amount: z.number().min(0),
    /** Already a percentage of the window's network total: 26.0501 means 26.05%. */
    percent_of_total: z.number().min(0).max(100),
    unique_providers_count: z.number().int().min(0).optional(),
    unique_beneficiaries_count: z.number().int().min(0).optional(),
  })
  .loose();

export const faamStatsResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.array(faamProviderStatSchema),
    meta: z
      .object({
        network_total: z.number().min(0),
        count: z.number().int().min(0).optional(),
        filters: z
          .object({ from: z.string().nullable().optional(), to: z.string().nullable().optional() })
          .loose()
          .optional(),
        limit: z.number().int().nullable().optional(),
      })
      .loose(),
  })
  .loose();

export type FaamProviderStat = z.infer<typeof faamProviderStatSchema>;
export type FaamStatsResponse = z.infer<typeof faamStatsResponseSchema>;

/** A provider as messages show it. */
export interface ProviderShare {
  /** The full party id. */
  provider: string;
  /** The party id before `::` (DECISIONS.md 7). */
  name: string;
  rank: number;
  amountUsd: number;
  /** Percent of the window's network total. */
  percent: number;
}

/** What one stats call tells the monitor about a window. */
export interface FaamStats {
  /** In the API's order (rank 1 first), at most `limit` of them. */
  providers: ProviderShare[];
  networkTotalUsd: number;
  /** The window as asked for, ISO 8601 without fractional seconds. */
  from: string;
  to: string;
  limit: number;
}

/** `cantonloop-mainnet-1::1220ab…` → `cantonloop-mainnet-1`; an id without a name part is shown whole. */
export function providerDisplayName(partyId: string): string {
  const name = partyId.split('::')[0]?.trim() ?? '';
  return name.length > 0 ? name : partyId;
}
