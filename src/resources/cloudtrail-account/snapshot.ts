/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

/** The account's trails as a whole: what "CloudTrail is on in every region" is judged on. */
export const CLOUDTRAIL_ACCOUNT = 'AWS::CloudTrail::AccountTrails' as const;

export interface AccountTrail {
  trailArn: string;
  homeRegion: string;
  isLogging: boolean;
  logFileValidation: boolean;
}

export interface CloudTrailAccountSnapshot extends Snapshot {
  type: typeof CLOUDTRAIL_ACCOUNT;
  account: string;
  /** The account's multi-region trails (an organization trail delivering here included). */
  multiRegionTrails: AccountTrail[];
}
