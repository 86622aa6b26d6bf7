/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const CLOUDTRAIL_TRAIL = 'AWS::CloudTrail::Trail' as const;

export interface CloudTrailTrailSnapshot extends Snapshot {
  type: typeof CLOUDTRAIL_TRAIL;
  trailName: string;
  trailArn: string;
  /** The region the trail was created in: it is read and changed only there. */
  homeRegion: string;
  isLogging: boolean;
  isMultiRegion: boolean;
  logFileValidation: boolean;
  isOrganizationTrail: boolean;
}
