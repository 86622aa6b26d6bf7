import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { cloudTrailTrailType } from '../cloudtrail-trail';
import { arnScope, refOf } from '../shared';
import { CLOUDTRAIL_ACCOUNT, type CloudTrailAccountSnapshot } from './snapshot';

export * from './snapshot';

type Scope = { account: string; region: string };

/** One per account: the ref names the account (its root principal's ARN). */
export function cloudTrailAccountRef(account: string, region: string): ResourceRef {
  return refOf(
    CLOUDTRAIL_ACCOUNT,
    account,
    region,
    account,
    (p) => `arn:${p}:iam::${account}:root`,
  );
}

/**
 * The account's multi-region trails, seen from one region: DescribeTrails with shadow trails
 * lists every multi-region trail whatever its home, and each one's status is read (by ARN)
 * in its home region. Single-region trails cannot make the account compliant: not read.
 */
export async function readAccountTrails(
  clients: AwsClients,
  scope: Scope,
): Promise<CloudTrailAccountSnapshot> {
  const out = await clients
    .get(CloudTrailClient, scope)
    .send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const multi = (out.trailList ?? []).filter((t) => t.TrailARN && t.IsMultiRegionTrail === true);
  const trails = await Promise.all(
    multi.map(async (t) => {
      const home = t.HomeRegion ?? arnScope(t.TrailARN!, scope).region;
      const status = await clients
        .get(CloudTrailClient, { ...scope, region: home })
        .send(new GetTrailStatusCommand({ Name: t.TrailARN }));
      return {
        trailArn: t.TrailARN!,
        homeRegion: home,
        isLogging: status.IsLogging === true,
        logFileValidation: t.LogFileValidationEnabled === true,
      };
    }),
  );
  return {
    type: CLOUDTRAIL_ACCOUNT,
    ref: cloudTrailAccountRef(scope.account, scope.region),
    account: scope.account,
    multiRegionTrails: trails.sort((a, b) => a.trailArn.localeCompare(b.trailArn)),
  };
}

/** Any change to a trail may change what the account has: the account is read again. */
const byAccount: CloudTrailLocator = (_record, where) => [
  { type: CLOUDTRAIL_ACCOUNT, ...where, id: where.account },
];

export const cloudTrailAccountType = defineResourceType<CloudTrailAccountSnapshot>({
  type: CLOUDTRAIL_ACCOUNT,
  eventSource: 'cloudtrail.amazonaws.com',
  // CloudTrail has one write scope (the trails'); nothing writes the account's trail set.
  iam: cloudTrailTrailType.iam,
  securityHubType: 'AwsAccount',
  configResourceTypes: [],
  configNotRecorded:
    'An account-wide check: AWS Config records each trail, not whether the account has one that covers every region.',
  // A template shows its own trails, never the account's others.
  cloudFormationTypes: [],
  ignoredEvents: { StartLogging: 'only ever turns logging on' },
  cloudTrail: {
    StopLogging: byAccount,
    DeleteTrail: byAccount,
    UpdateTrail: byAccount,
    CreateTrail: byAccount,
  },
  readActions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus'],
  collect: (clients, locator) => readAccountTrails(clients, locator),
  enumerate: {
    global: true,
    readActions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus'],
    async *list(clients, scope) {
      scope.discovered?.(1);
      yield await readAccountTrails(clients, scope);
    },
  },
});
