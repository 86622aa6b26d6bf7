import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { configString, configValue, type ConfigurationItem } from '../../events/config-item';
import { isAwsError, isTrue, nameFromArnOrName, refOf, requiredString } from '../shared';
import { dynamoDbTablesFromTemplate } from './cloudformation';
import { dynamoDbTableEnumerator } from './enumerate';
import { DYNAMODB_TABLE, DynamoDbTableSnapshot } from './snapshot';

export * from './snapshot';

export function dynamoDbTableRef(account: string, region: string, tableName: string): ResourceRef {
  return refOf(
    DYNAMODB_TABLE,
    account,
    region,
    tableName,
    (p) => `arn:${p}:dynamodb:${region}:${account}:table/${tableName}`,
  );
}

/** Tables may be named by ARN since 2024; the name is what the API and the snapshot use. */
function tableName(raw: string): string {
  return nameFromArnOrName(raw, ':table/').split('/')[0]!;
}

const byTableName =
  (...paths: string[]): CloudTrailLocator =>
  (record, where) => [
    { type: DYNAMODB_TABLE, ...where, id: tableName(requiredString(record, paths)) },
  ];

export function tableSnapshot(
  account: string,
  region: string,
  table: Pick<
    TableDescription,
    'TableName' | 'SSEDescription' | 'Replicas' | 'DeletionProtectionEnabled'
  >,
  pointInTimeRecovery: boolean,
): DynamoDbTableSnapshot {
  const name = table.TableName!;
  const sse = table.SSEDescription;
  return {
    type: DYNAMODB_TABLE,
    ref: dynamoDbTableRef(account, region, name),
    tableName: name,
    sse: {
      ...(sse?.Status ? { status: sse.Status } : {}),
      ...(sse?.SSEType ? { sseType: sse.SSEType } : {}),
      ...(sse?.KMSMasterKeyArn ? { kmsKeyArn: sse.KMSMasterKeyArn } : {}),
    },
    replicas: (table.Replicas ?? [])
      .filter((r) => r.RegionName && r.RegionName !== region)
      .map((r) => ({
        region: r.RegionName!,
        ...(r.KMSMasterKeyId ? { kmsKeyId: r.KMSMasterKeyId } : {}),
        ...(r.ReplicaStatus ? { status: r.ReplicaStatus } : {}),
      })),
    pointInTimeRecovery,
    deletionProtection: table.DeletionProtectionEnabled === true,
  };
}

/** PITR status: ENABLED (or ENABLING) is on. */
const pitrOn = (status: string | undefined) => status === 'ENABLED' || status === 'ENABLING';

export async function readTable(
  clients: AwsClients,
  scope: { account: string; region: string },
  name: string,
): Promise<DynamoDbTableSnapshot | undefined> {
  const client = clients.get(DynamoDBClient, scope);
  try {
    const [out, backups] = await Promise.all([
      client.send(new DescribeTableCommand({ TableName: name })),
      client.send(new DescribeContinuousBackupsCommand({ TableName: name })),
    ]);
    const pitr =
      backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription
        ?.PointInTimeRecoveryStatus;
    return out.Table
      ? tableSnapshot(scope.account, scope.region, out.Table, pitrOn(pitr))
      : undefined;
  } catch (error) {
    // DescribeContinuousBackups says TableNotFoundException where DescribeTable says ResourceNotFound.
    if (isAwsError(error, 'ResourceNotFoundException', 'TableNotFoundException')) return undefined;
    throw error;
  }
}

/** Config's item is DescribeTable in camelCase: `ssedescription` / `sSEDescription` vary. */
function fromConfigItem(item: ConfigurationItem): DynamoDbTableSnapshot {
  const c = item.configuration;
  const sse = (configValue(c, 'sseDescription') ?? {}) as Record<string, unknown>;
  const replicas = (configValue(c, 'replicas') ?? []) as Record<string, unknown>[];
  const backups = (item.supplementaryConfiguration.ContinuousBackupsDescription ?? {}) as Record<
    string,
    unknown
  >;
  const pitr = (configValue(backups, 'pointInTimeRecoveryDescription') ?? {}) as Record<
    string,
    unknown
  >;
  return tableSnapshot(
    item.account,
    item.region,
    {
      TableName: configString(c, 'tableName') ?? item.resourceName ?? item.resourceId,
      SSEDescription: {
        Status: configString(sse, 'status') as never,
        SSEType: configString(sse, 'sseType') as never,
        KMSMasterKeyArn: configString(sse, 'kmsMasterKeyArn'),
      },
      Replicas: replicas.map((r) => ({
        RegionName: configString(r, 'regionName'),
        KMSMasterKeyId: configString(r, 'kmsMasterKeyId'),
        ReplicaStatus: configString(r, 'replicaStatus') as never,
      })),
      DeletionProtectionEnabled: isTrue(configValue(c, 'deletionProtectionEnabled')),
    },
    pitrOn(configString(pitr, 'pointInTimeRecoveryStatus')),
  );
}

export const dynamoDbTableType = defineResourceType<DynamoDbTableSnapshot>({
  type: DYNAMODB_TABLE,
  eventSource: 'dynamodb.amazonaws.com',
  iam: {
    service: 'dynamodb',
    arns: (p, a) => [`arn:${p}:dynamodb:*:${a}:table/*`],
    reason: 'Table writes: any table of this account, found at run time.',
  },
  securityHubType: 'AwsDynamoDbTable',
  configResourceTypes: ['AWS::DynamoDB::Table'],
  cloudFormationTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  cloudTrail: {
    CreateTable: byTableName('request.tableName', 'response.tableDescription.tableName'),
    // The documented UpdateTable record names the table only in its response.
    UpdateTable: byTableName('request.tableName', 'response.tableDescription.tableName'),
    RestoreTableFromBackup: byTableName(
      'request.targetTableName',
      'response.tableDescription.tableName',
    ),
    RestoreTableToPointInTime: byTableName(
      'request.targetTableName',
      'response.tableDescription.tableName',
    ),
    UpdateContinuousBackups: byTableName('request.tableName'),
  },
  readActions: ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups'],
  collect: (clients, locator) => readTable(clients, locator, locator.id ?? locator.name!),
  fromConfigItem,
  fromTemplate: dynamoDbTablesFromTemplate,
  enumerate: dynamoDbTableEnumerator,
});
