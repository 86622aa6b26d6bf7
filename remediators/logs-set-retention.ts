import { CloudWatchLogsClient, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { defineRemediator } from '../src/engine/definitions';
import {
  LOG_GROUP,
  readLogGroup,
  RETENTION_DAYS,
  type LogGroupSnapshot,
} from '../src/resources/log-group';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

const DAY_MS = 24 * 3600 * 1000;
/** CloudWatch accepts events up to 14 days older than when they arrive. */
const BACKDATED_DAYS = 14;

/**
 * The retention to set: the configured one, raised to the next period CloudWatch accepts that
 * is longer than the group has existed (plus the 14 days events may be backdated), so that no
 * event the group holds now is deleted by the change. Undefined when no period is that long.
 */
export function safeRetentionDays(configured: number, createdAt: number | undefined, now: number) {
  const ageDays = createdAt === undefined ? Infinity : Math.ceil((now - createdAt) / DAY_MS);
  const needed = Math.max(configured, ageDays + BACKDATED_DAYS);
  return RETENTION_DAYS.find((d) => d >= needed);
}

/**
 * Sets a retention period on a group that keeps events forever (PutRetentionPolicy), never
 * shorter than the group's age: it stops the growth without deleting a logged event.
 */
export const logsSetRetention = defineRemediator<LogGroupSnapshot>({
  id: 'logs-set-retention',
  description:
    'Sets a retention period no shorter than the group has existed (PutRetentionPolicy).',
  resourceType: LOG_GROUP,
  iamActions: { read: ['logs:DescribeLogGroups'], write: ['logs:PutRetentionPolicy'] },
  remediate: ({ clients, snapshot, violation }) =>
    guarded(snapshot.retentionInDays, async (changes) => {
      const before = await readLogGroup(clients, snapshot.ref, snapshot.logGroupName);
      if (!before) return resourceGone(changes, `log group ${snapshot.logGroupName}`);
      if (before.retentionInDays) {
        return {
          status: 'already-compliant',
          changes,
          before: before.retentionInDays,
          after: before.retentionInDays,
        };
      }
      const configured = Number(violation.remedy?.days ?? 365);
      const days = safeRetentionDays(configured, before.createdAt, Date.now());
      if (!days) {
        return {
          status: 'failed',
          changes,
          before: undefined,
          after: undefined,
          error: `log group ${snapshot.logGroupName} is older than the longest retention CloudWatch accepts (or its age is unknown): a retention would delete logged events, so none was set`,
        };
      }
      await clients.get(CloudWatchLogsClient, snapshot.ref).send(
        new PutRetentionPolicyCommand({
          logGroupName: snapshot.logGroupName,
          retentionInDays: days,
        }),
      );
      changes.push(
        `set retention of log group ${snapshot.logGroupName} to ${days} days${days > configured ? ` (longer than ${configured}: the group is older)` : ''}`,
      );
      const after = await readLogGroup(clients, snapshot.ref, snapshot.logGroupName);
      if (after?.retentionInDays !== days) {
        return verificationFailed(
          changes,
          undefined,
          after?.retentionInDays,
          `log group ${snapshot.logGroupName} has no retention of ${days} days`,
        );
      }
      return { status: 'reverted', changes, before: undefined, after: days };
    }),
});
