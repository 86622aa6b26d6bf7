import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on a construct and everything under it, each with its
 * reason. cdk-nag v3 needs each finding by its full id (`AwsSolutions-IAM5[Resource::*]`).
 */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag renders the partition and account pseudo parameters in finding ids. */
export const NAG_SCOPE = { partition: '<AWS::Partition>', account: '<AWS::AccountId>' };

/**
 * Acknowledges the wildcard-resource findings (IAM5) of grants derived from declarations:
 * reads AWS does not scope, and writes scoped to every resource of a service in the account.
 */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  grants: readonly { resources: readonly string[] }[],
  reason: string,
): void {
  const resources = new Set(grants.flatMap((g) => g.resources).filter((r) => r.includes('*')));
  acknowledge(scope, reason, ...[...resources].map((r) => `AwsSolutions-IAM5[Resource::${r}]`));
}
