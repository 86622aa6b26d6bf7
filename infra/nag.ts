import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PolicyGrant } from './permissions';

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
 * Acknowledges the wildcard-resource findings (IAM5) of grants derived from declarations,
 * each with its own reason: reads on `*` (AWS does not scope describe/list/get), and every
 * write's account-wide ARN pattern with the reason its service's scope declares. A write
 * without a declared scope never gets here: building its grant fails first.
 */
export function acknowledgeGrantFindings(scope: IConstruct, grants: readonly PolicyGrant[]): void {
  const reasons = new Map<string, string>();
  for (const grant of grants) {
    if (grant.effect === 'Deny') continue;
    for (const resource of grant.resources.filter((r) => r.includes('*'))) {
      // A wildcard without a declared reason stays a finding: cdk-nag fails the synth.
      if (grant.reason) reasons.set(resource, grant.reason);
    }
  }
  for (const [resource, reason] of reasons) {
    acknowledge(scope, reason, `AwsSolutions-IAM5[Resource::${resource}]`);
  }
}
