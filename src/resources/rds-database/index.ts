import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { configString, configValue, type ConfigurationItem } from '../../events/config-item';
import { isAwsError, isTrue, nameFromArnOrName, numberOr, refOf, requiredString } from '../shared';
import { RDS_SCOPE } from '../rds-scope';
import { rdsDatabasesFromTemplate } from './cloudformation';
import { dbClusterSnapshot, dbInstanceSnapshot, rdsDatabaseEnumerator } from './enumerate';
import { RDS_DATABASE, RDS_DEFAULTS, RDS_KINDS, RdsDatabaseSnapshot, RdsKind } from './snapshot';

export * from './snapshot';

export function rdsRef(kind: RdsKind, account: string, region: string, id: string): ResourceRef {
  const { cfnType, arnKind } = RDS_KINDS[kind];
  return refOf(
    cfnType,
    account,
    region,
    id,
    (p) => `arn:${p}:rds:${region}:${account}:${arnKind}:${id}`,
  );
}

/** Locator ids are `db:<identifier>` or `cluster:<identifier>`, like the ARN suffix. */
const locate =
  (kind: RdsKind, ...paths: string[]): CloudTrailLocator =>
  (record, where) => {
    const raw = requiredString(record, paths);
    const marker = `:${RDS_KINDS[kind].arnKind}:`;
    return [
      {
        type: RDS_DATABASE,
        ...where,
        id: `${RDS_KINDS[kind].arnKind}:${nameFromArnOrName(raw, marker)}`,
      },
    ];
  };

const instance = (...paths: string[]) => locate('instance', ...paths);
const cluster = (...paths: string[]) => locate('cluster', ...paths);

function fromConfigItem(item: ConfigurationItem): RdsDatabaseSnapshot {
  const c = item.configuration;
  const kind: RdsKind = item.resourceType === RDS_KINDS.cluster.cfnType ? 'cluster' : 'instance';
  const identifier =
    configString(c, kind === 'cluster' ? 'dBClusterIdentifier' : 'dBInstanceIdentifier') ??
    item.resourceName ??
    item.resourceId;
  const clusterId = kind === 'instance' ? configString(c, 'dBClusterIdentifier') : undefined;
  return {
    type: RDS_DATABASE,
    ref: rdsRef(kind, item.account, item.region, identifier),
    kind,
    identifier,
    engine: configString(c, 'engine'),
    storageEncrypted: isTrue(configValue(c, 'storageEncrypted')),
    kmsKeyId: configString(c, 'kmsKeyId'),
    deletionProtection: isTrue(configValue(c, 'deletionProtection')),
    backupRetentionDays: numberOr(
      configValue(c, 'backupRetentionPeriod'),
      RDS_DEFAULTS.backupRetentionDays,
    ),
    multiAZ: isTrue(configValue(c, 'multiAZ')),
    ...(clusterId ? { clusterIdentifier: clusterId } : {}),
    ...(kind === 'instance'
      ? { publiclyAccessible: isTrue(configValue(c, 'publiclyAccessible')) }
      : {}),
  };
}

export const rdsDatabaseType = defineResourceType<RdsDatabaseSnapshot>({
  type: RDS_DATABASE,
  eventSource: 'rds.amazonaws.com',
  iam: RDS_SCOPE,
  cloudFormationTypes: [RDS_KINDS.instance.cfnType, RDS_KINDS.cluster.cfnType],
  cloudTrail: {
    CreateDBInstance: instance('request.dBInstanceIdentifier'),
    CreateDBInstanceReadReplica: instance('request.dBInstanceIdentifier'),
    ModifyDBInstance: instance('request.dBInstanceIdentifier'),
    RestoreDBInstanceFromDBSnapshot: instance('request.dBInstanceIdentifier'),
    RestoreDBInstanceFromS3: instance('request.dBInstanceIdentifier'),
    RestoreDBInstanceToPointInTime: instance('request.targetDBInstanceIdentifier'),
    CreateDBCluster: cluster('request.dBClusterIdentifier'),
    ModifyDBCluster: cluster('request.dBClusterIdentifier'),
    RestoreDBClusterFromSnapshot: cluster('request.dBClusterIdentifier'),
    RestoreDBClusterFromS3: cluster('request.dBClusterIdentifier'),
    RestoreDBClusterToPointInTime: cluster('request.dBClusterIdentifier'),
  },
  readActions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
  securityHubType: (ref) =>
    ref.arn.includes(':cluster:') ? 'AwsRdsDbCluster' : 'AwsRdsDbInstance',
  configResourceTypes: [RDS_KINDS.instance.cfnType, RDS_KINDS.cluster.cfnType],
  async collect(clients, locator) {
    const [arnKind, ...rest] = (locator.id ?? '').split(':');
    const identifier = rest.join(':');
    const rds = clients.get(RDSClient, locator);
    const notFound = ['DBInstanceNotFound', 'DBInstanceNotFoundFault', 'DBClusterNotFoundFault'];
    try {
      if (arnKind === 'cluster') {
        const out = await rds.send(
          new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }),
        );
        const c = out.DBClusters?.[0];
        return c && dbClusterSnapshot(locator, { ...c, DBClusterIdentifier: identifier });
      }
      const out = await rds.send(
        new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }),
      );
      const i = out.DBInstances?.[0];
      return i && dbInstanceSnapshot(locator, { ...i, DBInstanceIdentifier: identifier });
    } catch (error) {
      if (isAwsError(error, ...notFound)) return undefined;
      throw error;
    }
  },
  fromConfigItem,
  fromTemplate: rdsDatabasesFromTemplate,
  enumerate: rdsDatabaseEnumerator,
});
