import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { RDS_SCOPE } from '../rds-scope';
import { isAwsError, nameFromArnOrName, refOf, requiredString } from '../shared';
import { rdsSnapshotEnumerator } from './enumerate';
import {
  RDS_SNAPSHOT,
  RDS_SNAPSHOT_KINDS,
  type RdsSnapshotKind,
  type RdsSnapshotSnapshot,
} from './snapshot';

export * from './snapshot';

type Scope = { account: string; region: string };

export function rdsSnapshotRef(
  kind: RdsSnapshotKind,
  account: string,
  region: string,
  id: string,
): ResourceRef {
  const { configType, arnKind } = RDS_SNAPSHOT_KINDS[kind];
  return refOf(
    configType,
    account,
    region,
    id,
    (p) => `arn:${p}:rds:${region}:${account}:${arnKind}:${id}`,
  );
}

/** Locator ids are `snapshot:<identifier>` or `cluster-snapshot:<identifier>`, as in the ARN. */
const locate =
  (kind: RdsSnapshotKind, ...paths: string[]): CloudTrailLocator =>
  (record, where) => {
    const { arnKind } = RDS_SNAPSHOT_KINDS[kind];
    const raw = requiredString(record, paths);
    return [
      { type: RDS_SNAPSHOT, ...where, id: `${arnKind}:${nameFromArnOrName(raw, `:${arnKind}:`)}` },
    ];
  };

/** The `restore` attribute's values: who may restore (or copy) the snapshot. */
function restoreValues(
  attributes: { AttributeName?: string; AttributeValues?: string[] }[] | undefined,
): string[] {
  return [
    ...(attributes?.find((a) => a.AttributeName === 'restore')?.AttributeValues ?? []),
  ].sort();
}

export function snapshotOf(
  scope: Scope,
  kind: RdsSnapshotKind,
  s: { SnapshotType?: string; Encrypted?: boolean; identifier: string },
  restoreAccounts: string[],
): RdsSnapshotSnapshot {
  return {
    type: RDS_SNAPSHOT,
    ref: rdsSnapshotRef(kind, scope.account, scope.region, s.identifier),
    kind,
    identifier: s.identifier,
    ...(s.SnapshotType ? { snapshotType: s.SnapshotType } : {}),
    encrypted: s.Encrypted === true,
    restoreAccounts,
  };
}

/** Who may restore the snapshot (DescribeDB[Cluster]SnapshotAttributes). */
export async function readRestoreAccounts(
  clients: AwsClients,
  scope: Scope,
  kind: RdsSnapshotKind,
  identifier: string,
): Promise<string[]> {
  const rds = clients.get(RDSClient, scope);
  if (kind === 'cluster') {
    const out = await rds.send(
      new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: identifier }),
    );
    return restoreValues(out.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes);
  }
  const out = await rds.send(
    new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: identifier }),
  );
  return restoreValues(out.DBSnapshotAttributesResult?.DBSnapshotAttributes);
}

const NOT_FOUND = [
  'DBSnapshotNotFound',
  'DBSnapshotNotFoundFault',
  'DBClusterSnapshotNotFoundFault',
];

/** One snapshot with its restore attribute; undefined when it does not exist. */
export async function readSnapshot(
  clients: AwsClients,
  scope: Scope,
  kind: RdsSnapshotKind,
  identifier: string,
): Promise<RdsSnapshotSnapshot | undefined> {
  const rds = clients.get(RDSClient, scope);
  try {
    let described: { SnapshotType?: string; Encrypted?: boolean } | undefined;
    if (kind === 'cluster') {
      const c = (
        await rds.send(
          new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: identifier }),
        )
      ).DBClusterSnapshots?.[0];
      described = c && { SnapshotType: c.SnapshotType, Encrypted: c.StorageEncrypted };
    } else {
      described = (
        await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifier }))
      ).DBSnapshots?.[0];
    }
    if (!described) return undefined;
    const restore = await readRestoreAccounts(clients, scope, kind, identifier);
    return snapshotOf(scope, kind, { ...described, identifier }, restore);
  } catch (error) {
    if (isAwsError(error, ...NOT_FOUND)) return undefined;
    throw error;
  }
}

const KIND_OF_ARN: Record<string, RdsSnapshotKind> = {
  snapshot: 'instance',
  'cluster-snapshot': 'cluster',
};

export const rdsSnapshotType = defineResourceType<RdsSnapshotSnapshot>({
  type: RDS_SNAPSHOT,
  eventSource: 'rds.amazonaws.com',
  iam: RDS_SCOPE,
  securityHubType: (ref) =>
    ref.arn.includes(':cluster-snapshot:') ? 'AwsRdsDbClusterSnapshot' : 'AwsRdsDbSnapshot',
  configResourceTypes: [
    RDS_SNAPSHOT_KINDS.instance.configType,
    RDS_SNAPSHOT_KINDS.cluster.configType,
  ],
  // CloudFormation creates no DB snapshot; a cluster snapshot is not a template resource either.
  cloudFormationTypes: [],
  cloudTrail: {
    CreateDBSnapshot: locate('instance', 'request.dBSnapshotIdentifier'),
    CopyDBSnapshot: locate('instance', 'request.targetDBSnapshotIdentifier'),
    ModifyDBSnapshotAttribute: locate('instance', 'request.dBSnapshotIdentifier'),
    CreateDBClusterSnapshot: locate('cluster', 'request.dBClusterSnapshotIdentifier'),
    CopyDBClusterSnapshot: locate('cluster', 'request.targetDBClusterSnapshotIdentifier'),
    ModifyDBClusterSnapshotAttribute: locate('cluster', 'request.dBClusterSnapshotIdentifier'),
  },
  readActions: [
    'rds:DescribeDBSnapshots',
    'rds:DescribeDBSnapshotAttributes',
    'rds:DescribeDBClusterSnapshots',
    'rds:DescribeDBClusterSnapshotAttributes',
  ],
  collect(clients, locator) {
    const [arnKind, ...rest] = (locator.id ?? '').split(':');
    const kind = KIND_OF_ARN[arnKind ?? ''];
    if (!kind) return Promise.resolve(undefined);
    return readSnapshot(clients, locator, kind, rest.join(':'));
  },
  // No fromConfigItem: who may restore is in the snapshot's attributes, read live.
  enumerate: rdsSnapshotEnumerator,
});
