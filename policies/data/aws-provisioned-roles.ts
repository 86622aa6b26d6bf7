/**
 * Admin roles that AWS itself (or the tooling Rampart is deployed with) provisions in member
 * accounts. Taking admin access from them breaks account access, single sign-on, landing
 * zones or deployments, and AWS Config's `iam-policy-no-statements-with-admin-access` and
 * Control Tower's guardrails leave them alone too. Each is matched exactly on name and path
 * (a look-alike `AWSReservedSSO_x` at path `/`, or `OrganizationAccountAccessRole-dev`, is
 * not one of them); a match is still reported, never reverted.
 */
export interface AwsProvisionedRole {
  id: string;
  /** Why it holds admin access and why Rampart must not take it away. */
  why: string;
  matches(role: { name: string; path: string; account: string }): boolean;
}

const REGION = '[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d';

export const AWS_PROVISIONED_ROLES = [
  {
    id: 'organization-account-access',
    why: 'AWS Organizations creates OrganizationAccountAccessRole (AdministratorAccess) in every account it creates: the management account’s way in, the break-glass path when SSO is down.',
    matches: (r) => r.path === '/' && r.name === 'OrganizationAccountAccessRole',
  },
  {
    id: 'identity-center',
    why: 'IAM Identity Center provisions one AWSReservedSSO_<permission set>_<id> role per permission set under /aws-reserved/sso.amazonaws.com/ (only it can write there); its permissions are managed in Identity Center, not in the account.',
    matches: (r) =>
      new RegExp(`^/aws-reserved/sso\\.amazonaws\\.com/(?:${REGION}/)?$`).test(r.path) &&
      /^AWSReservedSSO_[\w+=,.@-]+_[0-9a-f]{16}$/.test(r.name),
  },
  {
    id: 'control-tower',
    why: 'AWS Control Tower deploys and updates the landing zone in each enrolled account through AWSControlTowerExecution (AdministratorAccess).',
    matches: (r) => r.path === '/' && r.name === 'AWSControlTowerExecution',
  },
  {
    id: 'stacksets-execution',
    why: 'Self-managed CloudFormation StackSets deploy through AWSCloudFormationStackSetExecutionRole (AdministratorAccess by AWS’s template).',
    matches: (r) => r.path === '/' && r.name === 'AWSCloudFormationStackSetExecutionRole',
  },
  {
    id: 'cdk-bootstrap',
    why: 'The CDK bootstrap stack’s cfn-exec role (default qualifier hnb659fds) deploys every CDK app, Rampart’s own stacks included; its name carries its own account and region.',
    matches: (r) =>
      r.path === '/' &&
      new RegExp(`^cdk-hnb659fds-cfn-exec-role-${r.account}-${REGION}$`).test(r.name),
  },
  {
    id: 'service-linked',
    why: 'Service-linked roles (path /aws-service-role/<service>/) are defined and managed by the AWS service; IAM refuses to change their policies.',
    matches: (r) => /^\/aws-service-role\/[a-z0-9.-]+\/$/.test(r.path),
  },
] as const satisfies readonly AwsProvisionedRole[];

export type AwsProvisionedRoleId = (typeof AWS_PROVISIONED_ROLES)[number]['id'];
export const AWS_PROVISIONED_ROLE_IDS = AWS_PROVISIONED_ROLES.map((r) => r.id) as [
  AwsProvisionedRoleId,
  ...AwsProvisionedRoleId[],
];

/** Name, path and account of a role ARN (`arn:aws:iam::123456789012:role/path/Name`). */
export function roleParts(arn: string | undefined) {
  const m = arn?.match(/^arn:aws[a-z-]*:iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/);
  return m ? { account: m[1]!, path: m[2]!, name: m[3]! } : undefined;
}
