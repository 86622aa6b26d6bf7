import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { configString, configValue, type ConfigurationItem } from '../../events/config-item';
import { refOf, requiredString } from '../shared';
import { logGroupsFromTemplate } from './cloudformation';
import { logGroupEnumerator } from './enumerate';
import { LOG_GROUP, type LogGroupSnapshot } from './snapshot';

export * from './snapshot';

export function logGroupRef(account: string, region: string, name: string): ResourceRef {
  return refOf(
    LOG_GROUP,
    account,
    region,
    name,
    (p) => `arn:${p}:logs:${region}:${account}:log-group:${name}`,
  );
}

export function logGroupSnapshot(
  scope: { account: string; region: string },
  group: Pick<LogGroup, 'logGroupName' | 'retentionInDays' | 'creationTime'>,
): LogGroupSnapshot {
  const name = group.logGroupName!;
  return {
    type: LOG_GROUP,
    ref: logGroupRef(scope.account, scope.region, name),
    logGroupName: name,
    ...(group.retentionInDays ? { retentionInDays: group.retentionInDays } : {}),
    ...(group.creationTime ? { createdAt: group.creationTime } : {}),
  };
}

/**
 * Reads one log group. DescribeLogGroups takes a name prefix: the answer is matched on the
 * exact name (`/app/orders` never stands for `/app/orders-archive`).
 */
export async function readLogGroup(
  clients: AwsClients,
  scope: { account: string; region: string },
  name: string,
): Promise<LogGroupSnapshot | undefined> {
  const out = await clients
    .get(CloudWatchLogsClient, scope)
    .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }));
  const group = (out.logGroups ?? []).find((g) => g.logGroupName === name);
  return group ? logGroupSnapshot(scope, group) : undefined;
}

const byLogGroupName: CloudTrailLocator = (record, where) => [
  { type: LOG_GROUP, ...where, name: requiredString(record, ['request.logGroupName']) },
];

function fromConfigItem(item: ConfigurationItem): LogGroupSnapshot {
  const c = item.configuration;
  const retention = Number(configValue(c, 'retentionInDays'));
  const created = Number(configValue(c, 'creationTime'));
  return logGroupSnapshot(item, {
    logGroupName: configString(c, 'logGroupName') ?? item.resourceName ?? item.resourceId,
    ...(Number.isFinite(retention) && retention > 0 ? { retentionInDays: retention } : {}),
    ...(Number.isFinite(created) && created > 0 ? { creationTime: created } : {}),
  });
}

export const logGroupType = defineResourceType<LogGroupSnapshot>({
  type: LOG_GROUP,
  eventSource: 'logs.amazonaws.com',
  iam: {
    service: 'logs',
    arns: (p, a) => [`arn:${p}:logs:*:${a}:log-group:*`],
    reason: 'Log group writes: any log group of this account, found at run time.',
  },
  securityHubType: 'Other',
  configResourceTypes: ['AWS::Logs::LogGroup'],
  cloudFormationTypes: ['AWS::Logs::LogGroup'],
  cloudTrail: {
    CreateLogGroup: byLogGroupName,
    DeleteRetentionPolicy: byLogGroupName,
    PutRetentionPolicy: byLogGroupName,
  },
  readActions: ['logs:DescribeLogGroups'],
  collect: (clients, locator) => readLogGroup(clients, locator, locator.name ?? locator.id!),
  fromConfigItem,
  fromTemplate: logGroupsFromTemplate,
  enumerate: logGroupEnumerator,
});
