import { DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { configString, configValue, type ConfigurationItem } from '../../events/config-item';
import { MalformedEventError } from '../../events/errors';
import { securityGroupType } from '../ec2-security-group';
import { isAwsError, refOf, stringAt } from '../shared';
import { ec2InstanceEnumerator } from './enumerate';
import { EC2_INSTANCE, type Ec2InstanceSnapshot } from './snapshot';

export * from './snapshot';

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export function ec2InstanceRef(account: string, region: string, id: string): ResourceRef {
  return refOf(
    EC2_INSTANCE,
    account,
    region,
    id,
    (p) => `arn:${p}:ec2:${region}:${account}:instance/${id}`,
  );
}

export function instanceSnapshot(
  scope: { account: string; region: string },
  i: Pick<Instance, 'InstanceId' | 'State' | 'MetadataOptions'>,
): Ec2InstanceSnapshot {
  const id = i.InstanceId!;
  return {
    type: EC2_INSTANCE,
    ref: ec2InstanceRef(scope.account, scope.region, id),
    instanceId: id,
    state: i.State?.Name ?? 'running',
    // Without MetadataOptions EC2 applies its account or AMI default: IMDSv1 allowed.
    httpTokens: i.MetadataOptions?.HttpTokens ?? 'optional',
    httpEndpoint: i.MetadataOptions?.HttpEndpoint ?? 'enabled',
  };
}

/** Reads one instance; undefined when it does not exist or is terminated. */
export async function readInstance(
  clients: AwsClients,
  scope: { account: string; region: string },
  id: string,
): Promise<Ec2InstanceSnapshot | undefined> {
  try {
    const out = await clients
      .get(EC2Client, scope)
      .send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const i = out.Reservations?.flatMap((r) => r.Instances ?? []).find((x) => x.InstanceId === id);
    if (!i || i.State?.Name === 'terminated') return undefined;
    return instanceSnapshot(scope, i);
  } catch (error) {
    if (isAwsError(error, 'InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed')) {
      return undefined;
    }
    throw error;
  }
}

/** RunInstances: every instance of the response (one call launches many). */
const byLaunchedInstances: CloudTrailLocator = (record, where) => {
  const set = record.responseElements?.instancesSet as { items?: { instanceId?: unknown }[] };
  const ids = (set?.items ?? [])
    .map((i) => i.instanceId)
    .filter((id): id is string => typeof id === 'string' && INSTANCE_ID.test(id));
  if (ids.length === 0) {
    throw new MalformedEventError(
      'detail.responseElements.instancesSet.items',
      'names no instance id (i-…)',
    );
  }
  return ids.map((id) => ({ type: EC2_INSTANCE, ...where, id }));
};

/** ModifyInstanceMetadataOptions wraps its members in ModifyInstanceMetadataOptionsRequest. */
const byModifiedInstance: CloudTrailLocator = (record, where) => {
  const id =
    stringAt(record.requestParameters, ['ModifyInstanceMetadataOptionsRequest', 'InstanceId']) ??
    stringAt(record.requestParameters, ['instanceId']);
  if (!id || !INSTANCE_ID.test(id)) {
    throw new MalformedEventError(
      'detail.requestParameters.ModifyInstanceMetadataOptionsRequest.InstanceId',
      'is missing or not an instance id (i-…)',
    );
  }
  return [{ type: EC2_INSTANCE, ...where, id }];
};

function fromConfigItem(item: ConfigurationItem): Ec2InstanceSnapshot {
  const c = item.configuration;
  const meta = (configValue(c, 'metadataOptions') ?? {}) as Record<string, unknown>;
  const state = (configValue(c, 'state') ?? {}) as Record<string, unknown>;
  return instanceSnapshot(item, {
    InstanceId: configString(c, 'instanceId') ?? item.resourceId,
    State: { Name: configString(state, 'name') as never },
    MetadataOptions: {
      HttpTokens: configString(meta, 'httpTokens') as never,
      HttpEndpoint: configString(meta, 'httpEndpoint') as never,
    },
  });
}

export const ec2InstanceType = defineResourceType<Ec2InstanceSnapshot>({
  type: EC2_INSTANCE,
  eventSource: 'ec2.amazonaws.com',
  // EC2 has one write scope (the security groups'); no remediator writes instances.
  iam: securityGroupType.iam,
  securityHubType: 'AwsEc2Instance',
  configResourceTypes: ['AWS::EC2::Instance'],
  // Instances take metadata options from launch templates, which templates do not resolve.
  cloudFormationTypes: [],
  cloudTrail: {
    RunInstances: byLaunchedInstances,
    ModifyInstanceMetadataOptions: byModifiedInstance,
  },
  readActions: ['ec2:DescribeInstances'],
  collect: (clients, locator) => readInstance(clients, locator, locator.id!),
  fromConfigItem,
  enumerate: ec2InstanceEnumerator,
});
