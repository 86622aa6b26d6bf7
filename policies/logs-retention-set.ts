import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  LOG_GROUP,
  RETENTION_DAYS,
  type LogGroupSnapshot,
} from '../src/resources/log-group/snapshot';

export const logsRetentionSetParameters = z.strictObject({
  days: z
    .number()
    .int()
    .refine((d) => (RETENTION_DAYS as readonly number[]).includes(d), {
      message: `expected one of ${RETENTION_DAYS.join(', ')}`,
    })
    .default(365)
    .describe(
      'Retention Rampart sets on a group that keeps events forever (raised if the group is older, so no event that exists is deleted).',
    ),
});
export type LogsRetentionSetParameters = z.output<typeof logsRetentionSetParameters>;

export const logsRetentionSet = definePolicy<LogGroupSnapshot, LogsRetentionSetParameters>({
  id: 'logs-retention-set',
  title: 'CloudWatch log groups do not keep events forever',
  description: 'A log group without a retention period (Never expire) violates.',
  rationale:
    'Log storage grows every day a group keeps everything; most logs lose their value in months, and a retention period makes the cost a choice instead of an accident.',
  severity: 'low',
  pillar: 'cost-optimization',
  controls: [
    { framework: 'aws-fsbp', id: 'CloudWatch.16' },
    { framework: 'aws-well-architected', id: 'COST04-BP05' },
  ],
  resourceType: LOG_GROUP,
  triggers: ['CreateLogGroup', 'DeleteRetentionPolicy'],
  // Setting a period no shorter than the group's age deletes no event that exists: enforce.
  defaultMode: 'enforce',
  parameters: logsRetentionSetParameters,
  remediatorId: 'logs-set-retention',
  evaluate(snapshot, params) {
    if (snapshot.retentionInDays) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `Log group ${snapshot.logGroupName} keeps its events forever (no retention period).`,
        elements: [{ kind: 'retention', description: 'Never expire' }],
        remedy: { days: params.days },
      },
    };
  },
});
