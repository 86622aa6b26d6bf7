/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const EC2_INSTANCE = 'AWS::EC2::Instance' as const;

export interface Ec2InstanceSnapshot extends Snapshot {
  type: typeof EC2_INSTANCE;
  instanceId: string;
  /** `pending`, `running`, `stopped`… (terminated instances are gone). */
  state: string;
  /** `required` (IMDSv2 only) or `optional` (IMDSv1 allowed). */
  httpTokens: string;
  /** `enabled` or `disabled` (no instance metadata service at all). */
  httpEndpoint: string;
}
