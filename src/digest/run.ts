import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import { HISTORY_TABLE_ENV } from '../config/compliance';
import { ExceptionStore } from '../exceptions/store';
import { EXCEPTIONS_TABLE } from '../exceptions/table';
import type { HistoryStore } from '../history/store';
import { historyStoreFor } from '../history/wiring';
import { DigestError, computeDigest, type Digest } from './model';
import { readDigestInputs } from './source';
import { policies } from '../../policies';
import type { ControlRef } from '../engine/frameworks';

/** The controls each shipped policy checks (policies are SDK-free: the digest stays small). */
export function policyControls(): Record<string, readonly ControlRef[]> {
  return Object.fromEntries(policies.map((p) => [p.id, p.controls]));
}

/** Where a digest reads from, per configuration and environment. */
export interface DigestSources {
  history: HistoryStore;
  exceptions?: ExceptionStore;
}

/**
 * The history table (required: a digest is made of it) and the exceptions table
 * (RAMPART_EXCEPTIONS_TABLE; without it, exception numbers are zero).
 */
export function digestSourcesFor(
  config: RampartConfig,
  clients: AwsClients,
  env: NodeJS.ProcessEnv = process.env,
): DigestSources {
  const history = historyStoreFor(config, clients, env);
  if (!history) {
    throw new DigestError(
      `no history table is configured: set compliance.historyTable in the configuration file or ${HISTORY_TABLE_ENV} in the environment`,
      'compliance.historyTable',
    );
  }
  const exceptionsTable = env[EXCEPTIONS_TABLE.env];
  return {
    history,
    ...(exceptionsTable
      ? {
          exceptions: new ExceptionStore(clients, {
            name: exceptionsTable,
            region: env.AWS_REGION ?? 'us-east-1',
          }),
        }
      : {}),
  };
}

/** Reads the records and computes the digest at `now`, per `compliance.digest`. */
export async function makeDigest(
  config: RampartConfig,
  sources: DigestSources,
  now: string,
): Promise<Digest> {
  const inputs = await readDigestInputs({
    ...sources,
    now,
    schedule: config.compliance.digest.schedule,
    topActors: config.compliance.digest.topActors,
  });
  return computeDigest({ ...inputs, controls: policyControls() });
}
