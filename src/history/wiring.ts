import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import { HistoryStore } from './store';

/**
 * The compliance history named by `compliance.historyTable` (or RAMPART_HISTORY_TABLE), in
 * the evaluator's region; undefined when none is configured, so nothing is kept.
 */
export function historyStoreFor(
  config: RampartConfig,
  clients: AwsClients,
  env: NodeJS.ProcessEnv = process.env,
): HistoryStore | undefined {
  const name = config.compliance.historyTable;
  if (!name) return undefined;
  return new HistoryStore(
    clients,
    { name, region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1' },
    config.compliance.retentionDays,
  );
}
