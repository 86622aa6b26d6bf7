import { CloudWatchLogsClient, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import type { ResourceEnumerator } from '../../engine/definitions';
import { logGroupSnapshot, type LogGroupSnapshot } from './index';

/** DescribeLogGroups pages of 50 carry every field the policy needs: no detail calls. */
export const logGroupEnumerator: ResourceEnumerator<LogGroupSnapshot> = {
  readActions: ['logs:DescribeLogGroups'],
  async *list(clients, scope) {
    const client = clients.get(CloudWatchLogsClient, scope);
    for await (const page of paginateDescribeLogGroups({ client }, { limit: 50 })) {
      const groups = (page.logGroups ?? []).filter((g) => g.logGroupName);
      scope.discovered?.(groups.length);
      for (const g of groups) yield logGroupSnapshot(scope, g);
    }
  },
};
