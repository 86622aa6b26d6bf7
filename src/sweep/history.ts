import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import { HistoryStore } from '../history/store';

/** The compliance history the sweep compares with and records to; none when not configured. */
export function sweepHistory(
  clients: AwsClients,
  config: RampartConfig,
  env: NodeJS.ProcessEnv = process.env,
): HistoryStore | undefined {
  const name = config.compliance.historyTable;
  if (!name) return undefined;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return new HistoryStore(clients, { name, region }, config.compliance.retentionDays);
}
