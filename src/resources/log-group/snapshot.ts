/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const LOG_GROUP = 'AWS::Logs::LogGroup' as const;

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export interface LogGroupSnapshot extends Snapshot {
  type: typeof LOG_GROUP;
  logGroupName: string;
  /** Undefined: events are kept forever. */
  retentionInDays?: number;
  /** When the group was created (epoch ms), where known: no kept event is older. */
  createdAt?: number;
}
