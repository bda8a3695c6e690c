/**
 * The DynamoDB tables, defined once. The AWS stack creates them from this list and local mode
 * creates them in the embedded store at start, so both always agree on names, keys and TTL.
 */
export interface TableDefinition {
  /** Logical name; the physical name is `${TABLE_PREFIX}-${logical}` unless TABLE_NAME_<LOGICAL> is set. */
  logical: 'metrics' | 'state' | 'api-keys';
  partitionKey: string;
  sortKey?: string;
  /** Attribute holding an epoch-seconds expiry, declared as the table's TTL in AWS. */
  ttlAttribute?: string;
  purpose: string;
}

export const TABLES: readonly TableDefinition[] = [
  {
    logical: 'metrics',
    partitionKey: 'series',
    sortKey: 'ts',
    ttlAttribute: 'expires_at',
    purpose: 'Time series: one record per series (e.g. canton#latest_round) and timestamp.',
  },
  {
    logical: 'state',
    partitionKey: 'pk',
    ttlAttribute: 'expiration',
    purpose: 'Alert and source state, the latest snapshot, scrape leases and idempotency records.',
  },
  {
    logical: 'api-keys',
    partitionKey: 'key_hash',
    purpose: 'API keys, stored only as SHA-256 hashes of the secret.',
  },
];

export type TableLogicalName = TableDefinition['logical'];

/** Environment variable that overrides a table's physical name (the AWS stack sets these). */
export const tableNameVariable = (logical: TableLogicalName): string =>
  `TABLE_NAME_${logical.toUpperCase().replace(/-/g, '_')}`;

export function tableName(
  logical: TableLogicalName,
  prefix: string,
  env: Record<string, string | undefined> = process.env,
): string {
  return env[tableNameVariable(logical)] || `${prefix}-${logical}`;
}

export function tableDefinition(logical: TableLogicalName): TableDefinition {
  const def = TABLES.find((t) => t.logical === logical);
  if (!def) throw new Error(`Unknown table ${logical}`);
  return def;
}
