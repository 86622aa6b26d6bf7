import type { IamScope } from '../../src/engine/definitions';

/**
 * The declarations every resource type must make, for test-only types of a made-up
 * service: not recorded by AWS Config, no CloudFormation types, `Other` in Security Hub, writes scoped to the
 * service's ARNs in the account.
 */
export function testTypeDeclarations(service: string): {
  iam: IamScope;
  configResourceTypes: readonly string[];
  configNotRecorded: string;
  cloudFormationTypes: readonly string[];
  securityHubType: string;
} {
  return {
    iam: {
      service,
      arns: (p, a) => [`arn:${p}:${service}:*:${a}:*`],
      reason: `test service ${service}`,
    },
    configResourceTypes: [],
    configNotRecorded: 'a test type',
    cloudFormationTypes: [],
    securityHubType: 'Other',
  };
}
