import {
  CloudTrailClient,
  GetTrailCommand,
  GetTrailStatusCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { arnScope, isAwsError, refOf, requiredString } from '../shared';
import { cloudTrailTrailsFromTemplate } from './cloudformation';
import { cloudTrailTrailEnumerator } from './enumerate';
import { CLOUDTRAIL_TRAIL, type CloudTrailTrailSnapshot } from './snapshot';

export * from './snapshot';

export function cloudTrailTrailRef(account: string, region: string, name: string): ResourceRef {
  return refOf(
    CLOUDTRAIL_TRAIL,
    account,
    region,
    name,
    (p) => `arn:${p}:cloudtrail:${region}:${account}:trail/${name}`,
  );
}

const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/([\w.-]{3,128})$/;

/** The snapshot of a trail as GetTrail/DescribeTrails describe it, with its logging status. */
export function trailSnapshot(
  scope: { account: string; region: string },
  trail: Pick<
    Trail,
    | 'Name'
    | 'TrailARN'
    | 'HomeRegion'
    | 'IsMultiRegionTrail'
    | 'LogFileValidationEnabled'
    | 'IsOrganizationTrail'
  >,
  isLogging: boolean,
): CloudTrailTrailSnapshot {
  const name = trail.Name!;
  const homeRegion = trail.HomeRegion ?? scope.region;
  const ref = cloudTrailTrailRef(scope.account, homeRegion, name);
  return {
    type: CLOUDTRAIL_TRAIL,
    ref,
    trailName: name,
    trailArn: trail.TrailARN ?? ref.arn,
    homeRegion,
    isLogging,
    isMultiRegion: trail.IsMultiRegionTrail === true,
    logFileValidation: trail.LogFileValidationEnabled === true,
    isOrganizationTrail: trail.IsOrganizationTrail === true,
  };
}

/** Reads a trail and whether it logs, in its home region; undefined when it does not exist. */
export async function readTrail(
  clients: AwsClients,
  scope: { account: string; region: string },
  name: string,
): Promise<CloudTrailTrailSnapshot | undefined> {
  const client = clients.get(CloudTrailClient, scope);
  try {
    const [trail, status] = await Promise.all([
      client.send(new GetTrailCommand({ Name: name })),
      client.send(new GetTrailStatusCommand({ Name: name })),
    ]);
    if (!trail.Trail?.Name) return undefined;
    return trailSnapshot(scope, trail.Trail, status.IsLogging === true);
  } catch (error) {
    if (isAwsError(error, 'TrailNotFoundException')) return undefined;
    throw error;
  }
}

/**
 * StopLogging, CreateTrail and UpdateTrail name the trail by name or ARN. An ARN
 * says the home region, where the trail is read (a multi-region trail is changed only there).
 */
const byTrail: CloudTrailLocator = (record, where) => {
  const raw = requiredString(record, ['request.name']);
  const arn = TRAIL_ARN.exec(raw);
  if (arn) return [{ type: CLOUDTRAIL_TRAIL, ...arnScope(raw, where), name: arn[3]! }];
  return [{ type: CLOUDTRAIL_TRAIL, ...where, name: raw }];
};

export const cloudTrailTrailType = defineResourceType<CloudTrailTrailSnapshot>({
  type: CLOUDTRAIL_TRAIL,
  eventSource: 'cloudtrail.amazonaws.com',
  iam: {
    service: 'cloudtrail',
    arns: (p, a) => [`arn:${p}:cloudtrail:*:${a}:trail/*`],
    reason: 'Trail writes: any trail of this account, found at run time.',
  },
  securityHubType: 'AwsCloudTrailTrail',
  // Config's trail item lacks whether the trail logs: a Config change is judged from a live read.
  configResourceTypes: ['AWS::CloudTrail::Trail'],
  cloudFormationTypes: ['AWS::CloudTrail::Trail'],
  // StartLogging only ever makes a trail compliant: not watched (see ignoredEvents).
  ignoredEvents: { StartLogging: 'only ever turns logging on' },
  cloudTrail: {
    StopLogging: byTrail,
    CreateTrail: byTrail,
    UpdateTrail: byTrail,
  },
  readActions: ['cloudtrail:GetTrail', 'cloudtrail:GetTrailStatus'],
  collect: (clients, locator) => readTrail(clients, locator, locator.name ?? locator.id!),
  fromTemplate: cloudTrailTrailsFromTemplate,
  enumerate: cloudTrailTrailEnumerator,
});
