import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import { trailSnapshot, type CloudTrailTrailSnapshot } from './index';

/**
 * DescribeTrails without shadow trails lists the trails whose home is this region (a
 * multi-region trail is listed once, in its home); GetTrailStatus per trail says if it logs.
 */
export const cloudTrailTrailEnumerator: ResourceEnumerator<CloudTrailTrailSnapshot> = {
  readActions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus'],
  async *list(clients, scope) {
    const client = clients.get(CloudTrailClient, scope);
    const out = await client.send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    const trails = (out.trailList ?? []).filter((t) => t.Name && t.TrailARN);
    yield* await readEach(scope, trails, async (trail) => {
      const status = await client.send(new GetTrailStatusCommand({ Name: trail.TrailARN }));
      return trailSnapshot(scope, trail, status.IsLogging === true);
    });
  },
};
