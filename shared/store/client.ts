import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName, type TableLogicalName } from './tables.js';

export interface StoreConfig {
  tablePrefix: string;
  /** Set in local mode and tests (the embedded store's HTTP endpoint); unset in AWS. */
  endpoint?: string;
  retentionDays: number;
}

/** The DynamoDB client and the physical table names, built once per process. */
export interface Store {
  raw: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  table(logical: TableLogicalName): string;
  retentionDays: number;
}

export function createStore(config: StoreConfig, env: Record<string, string | undefined> = process.env): Store {
  const raw = new DynamoDBClient({
    ...(config.endpoint
      ? {
          endpoint: config.endpoint,
          // The embedded store accepts any credentials; real ones are never needed locally.
          region: env.AWS_REGION ?? 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    maxAttempts: 4,
  });
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const names = new Map<TableLogicalName, string>();
  return {
    raw,
    doc,
    retentionDays: config.retentionDays,
    table(logical) {
      let name = names.get(logical);
      if (!name) {
        name = tableName(logical, config.tablePrefix, env);
        names.set(logical, name);
      }
      return name;
    },
  };
}

/** True when a conditional write lost (someone else wrote first). */
export const isConditionFailure = (err: unknown): boolean =>
  err instanceof Error && err.name === 'ConditionalCheckFailedException';
