/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

/**
 * Who can hold permissions: users, groups and roles (one policy judges all three), plus
 * customer-managed policies, because a new default version of a policy changes what every
 * entity it is attached to may do. Locator ids: `user/<name>`, `group/<name>`,
 * `role/<name>`, `policy/<policy ARN>`.
 */
export const IAM_PRINCIPAL = 'AWS::IAM::Principal' as const;
export const PRINCIPAL_KINDS = ['user', 'group', 'role'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];
export type HolderKind = PrincipalKind | 'policy';

/** The CloudFormation (and AWS Config) type of each kind. */
export const IAM_CFN_TYPES: Record<HolderKind, string> = {
  user: 'AWS::IAM::User',
  group: 'AWS::IAM::Group',
  role: 'AWS::IAM::Role',
  policy: 'AWS::IAM::Policy',
};

export interface AttachedPolicy {
  arn: string;
  name: string;
  /** The default version's document: read for customer-managed policies only. */
  document?: unknown;
}

export interface PrincipalRef {
  kind: PrincipalKind;
  name: string;
  arn?: string;
}

export interface IamPrincipalSnapshot extends Snapshot {
  type: typeof IAM_PRINCIPAL;
  kind: HolderKind;
  name: string;
  arn: string;
  /** For a user/group/role: its managed policies. For a policy: the policy itself. */
  attachedPolicies: AttachedPolicy[];
  /** Inline policies of a user/group/role. */
  inlinePolicies: { name: string; document: unknown }[];
  /** For a policy: the entities it is attached to. */
  attachments: PrincipalRef[];
}
