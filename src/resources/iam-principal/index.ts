import {
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListEntitiesForPolicy,
  paginateListGroupPolicies,
  paginateListRolePolicies,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients';
import { homeRegionOf, partitionOf, type ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { configString, configValue, type ConfigurationItem } from '../../events/config-item';
import { isAwsError, requiredString } from '../shared';
import { iamPrincipalsFromTemplate } from './cloudformation';
import { iamPrincipalEnumerator } from './enumerate';
import {
  IAM_PRINCIPAL,
  PrincipalKind,
  HolderKind,
  IAM_CFN_TYPES,
  AttachedPolicy,
  PrincipalRef,
  IamPrincipalSnapshot,
} from './snapshot';

export * from './snapshot';

const CFN_TYPES = IAM_CFN_TYPES;

/** The IAM client for an account, whatever region the event or item named. */
export function iamClient(
  clients: AwsClients,
  scope: { account: string; region: string },
): IAMClient {
  const partition = scope.region === 'global' ? 'aws' : partitionOf(scope.region);
  // IAM is global; its API lives in one region per partition (Config says `global`).
  return clients.get(IAMClient, { account: scope.account, region: homeRegionOf(partition) });
}

export function iamRef(kind: HolderKind, account: string, name: string, arn: string): ResourceRef {
  const partition = arn.split(':')[1] ?? partitionOf('us-east-1');
  return {
    partition,
    account,
    region: 'global',
    type: CFN_TYPES[kind],
    id: `${kind}/${name}`,
    arn,
  };
}

/** IAM returns documents URL-encoded; CloudTrail and Config as JSON or URL-encoded strings. */
export function decodePolicyDocument(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  let text = raw.trim();
  if (text.startsWith('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return raw;
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return raw;
  }
}

const byName =
  (kind: PrincipalKind): CloudTrailLocator =>
  (record, where) => [
    {
      type: IAM_PRINCIPAL,
      ...where,
      id: `${kind}/${requiredString(record, [`request.${kind}Name`])}`,
    },
  ];

const byPolicyArn: CloudTrailLocator = (record, where) => [
  { type: IAM_PRINCIPAL, ...where, id: `policy/${requiredString(record, ['request.policyArn'])}` },
];

async function defaultDocument(iam: IAMClient, arn: string): Promise<unknown> {
  const policy = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
  const versionId = policy.Policy?.DefaultVersionId;
  if (!versionId) return undefined;
  const version = await iam.send(
    new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }),
  );
  return decodePolicyDocument(version.PolicyVersion?.Document);
}

/** AWS managed policies (`arn:aws:iam::aws:policy/...`) are judged by name, not read. */
export function isAwsManaged(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}

async function collectAll<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function readPrincipal(
  clients: AwsClients,
  scope: { account: string; region: string },
  kind: PrincipalKind,
  name: string,
): Promise<IamPrincipalSnapshot | undefined> {
  const iam = iamClient(clients, scope);
  const client = { client: iam };
  let arn: string | undefined;
  let attached: { PolicyArn?: string; PolicyName?: string }[];
  let inlineNames: string[];
  let getInline: (policyName: string) => Promise<string | undefined>;
  try {
    if (kind === 'user') {
      arn = (await iam.send(new GetUserCommand({ UserName: name }))).User?.Arn;
      attached = (
        await collectAll(paginateListAttachedUserPolicies(client, { UserName: name }))
      ).flatMap((p) => p.AttachedPolicies ?? []);
      inlineNames = (
        await collectAll(paginateListUserPolicies(client, { UserName: name }))
      ).flatMap((p) => p.PolicyNames ?? []);
      getInline = async (p) =>
        (await iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: p })))
          .PolicyDocument;
    } else if (kind === 'role') {
      arn = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role?.Arn;
      attached = (
        await collectAll(paginateListAttachedRolePolicies(client, { RoleName: name }))
      ).flatMap((p) => p.AttachedPolicies ?? []);
      inlineNames = (
        await collectAll(paginateListRolePolicies(client, { RoleName: name }))
      ).flatMap((p) => p.PolicyNames ?? []);
      getInline = async (p) =>
        (await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: p })))
          .PolicyDocument;
    } else {
      arn = (await iam.send(new GetGroupCommand({ GroupName: name }))).Group?.Arn;
      attached = (
        await collectAll(paginateListAttachedGroupPolicies(client, { GroupName: name }))
      ).flatMap((p) => p.AttachedPolicies ?? []);
      inlineNames = (
        await collectAll(paginateListGroupPolicies(client, { GroupName: name }))
      ).flatMap((p) => p.PolicyNames ?? []);
      getInline = async (p) =>
        (await iam.send(new GetGroupPolicyCommand({ GroupName: name, PolicyName: p })))
          .PolicyDocument;
    }
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
    throw error;
  }
  const attachedPolicies: AttachedPolicy[] = [];
  for (const p of attached) {
    if (!p.PolicyArn) continue;
    const document = isAwsManaged(p.PolicyArn)
      ? undefined
      : await defaultDocument(iam, p.PolicyArn);
    attachedPolicies.push({
      arn: p.PolicyArn,
      name: p.PolicyName ?? p.PolicyArn.split('/').pop()!,
      ...(document !== undefined ? { document } : {}),
    });
  }
  const inlinePolicies = [];
  for (const policyName of inlineNames) {
    inlinePolicies.push({
      name: policyName,
      document: decodePolicyDocument(await getInline(policyName)),
    });
  }
  const fullArn = arn ?? `arn:${partitionOf(scope.region)}:iam::${scope.account}:${kind}/${name}`;
  return {
    type: IAM_PRINCIPAL,
    ref: iamRef(kind, scope.account, name, fullArn),
    kind,
    name,
    arn: fullArn,
    attachedPolicies,
    inlinePolicies,
    attachments: [],
  };
}

async function readManagedPolicy(
  clients: AwsClients,
  scope: { account: string; region: string },
  policyArn: string,
): Promise<IamPrincipalSnapshot | undefined> {
  const iam = iamClient(clients, scope);
  let document: unknown;
  const attachments: PrincipalRef[] = [];
  try {
    document = await defaultDocument(iam, policyArn);
    for await (const page of paginateListEntitiesForPolicy(
      { client: iam },
      { PolicyArn: policyArn },
    )) {
      for (const u of page.PolicyUsers ?? []) attachments.push({ kind: 'user', name: u.UserName! });
      for (const g of page.PolicyGroups ?? [])
        attachments.push({ kind: 'group', name: g.GroupName! });
      for (const r of page.PolicyRoles ?? []) attachments.push({ kind: 'role', name: r.RoleName! });
    }
    // A role's path (part of its ARN) decides whether it is one AWS provisions (Identity
    // Center, service-linked); ListEntitiesForPolicy gives names only.
    const roles = attachments.filter((a) => a.kind === 'role');
    for (let i = 0; i < roles.length; i += 10) {
      await Promise.all(
        roles.slice(i, i + 10).map(async (role) => {
          role.arn = (await iam.send(new GetRoleCommand({ RoleName: role.name }))).Role?.Arn;
        }),
      );
    }
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
    throw error;
  }
  const name = policyArn.split('/').pop()!;
  return {
    type: IAM_PRINCIPAL,
    ref: iamRef('policy', scope.account, name, policyArn),
    kind: 'policy',
    name,
    arn: policyArn,
    attachedPolicies: [{ arn: policyArn, name, document }],
    inlinePolicies: [],
    attachments,
  };
}

/** Reads whatever a locator id names: a user, group, role or customer-managed policy. */
export async function readHolder(
  clients: AwsClients,
  scope: { account: string; region: string },
  id: string,
): Promise<IamPrincipalSnapshot | undefined> {
  const slash = id.indexOf('/');
  const kind = id.slice(0, slash) as HolderKind;
  const rest = id.slice(slash + 1);
  if (kind === 'policy') return readManagedPolicy(clients, scope, rest);
  return readPrincipal(clients, scope, kind, rest);
}

/**
 * Config's user/group/role items list managed policies by name and ARN (no documents) and
 * inline policies with URL-encoded documents: customer-managed documents are not judged on
 * this path, AdministratorAccess and inline `*` on `*` are.
 */
function fromConfigItem(item: ConfigurationItem): IamPrincipalSnapshot {
  const kind = (Object.keys(CFN_TYPES) as HolderKind[]).find(
    (k) => CFN_TYPES[k] === item.resourceType,
  ) as PrincipalKind;
  const c = item.configuration;
  const name = configString(c, `${kind}Name`) ?? item.resourceName ?? item.resourceId;
  const arn = configString(c, 'arn') ?? item.arn ?? `arn:aws:iam::${item.account}:${kind}/${name}`;
  const attached = (configValue(c, 'attachedManagedPolicies') ?? []) as Record<string, unknown>[];
  const inline = (configValue(c, `${kind}PolicyList`) ?? []) as Record<string, unknown>[];
  return {
    type: IAM_PRINCIPAL,
    ref: iamRef(kind, item.account, name, arn),
    kind,
    name,
    arn,
    attachedPolicies: attached.map((p) => ({
      arn: configString(p, 'policyArn') ?? '',
      name: configString(p, 'policyName') ?? '',
    })),
    inlinePolicies: inline.map((p) => ({
      name: configString(p, 'policyName') ?? '',
      document: decodePolicyDocument(configValue(p, 'policyDocument')),
    })),
    attachments: [],
  };
}

export const iamPrincipalType = defineResourceType<IamPrincipalSnapshot>({
  type: IAM_PRINCIPAL,
  eventSource: 'iam.amazonaws.com',
  iam: {
    service: 'iam',
    arns: (p, a) => [
      `arn:${p}:iam::${a}:user/*`,
      `arn:${p}:iam::${a}:role/*`,
      `arn:${p}:iam::${a}:group/*`,
      `arn:${p}:iam::${a}:policy/*`,
    ],
    reason:
      "Removing admin access from any principal of this account; Rampart's own roles and boundary are excluded by an explicit Deny and the permissions boundary.",
  },
  cloudFormationTypes: [
    'AWS::IAM::User',
    'AWS::IAM::Group',
    'AWS::IAM::Role',
    'AWS::IAM::ManagedPolicy',
    'AWS::IAM::Policy',
  ],
  cloudTrail: {
    AttachUserPolicy: byName('user'),
    AttachRolePolicy: byName('role'),
    AttachGroupPolicy: byName('group'),
    PutUserPolicy: byName('user'),
    PutRolePolicy: byName('role'),
    PutGroupPolicy: byName('group'),
    CreatePolicyVersion: byPolicyArn,
    SetDefaultPolicyVersion: byPolicyArn,
  },
  ignoredEvents: {
    DetachUserPolicy: 'removes permissions',
    DetachRolePolicy: 'removes permissions',
    DetachGroupPolicy: 'removes permissions',
    DeleteUserPolicy: 'removes permissions',
    DeleteRolePolicy: 'removes permissions',
    DeleteGroupPolicy: 'removes permissions',
  },
  readActions: [
    'iam:GetUser',
    'iam:GetRole',
    'iam:GetGroup',
    'iam:ListAttachedUserPolicies',
    'iam:ListAttachedRolePolicies',
    'iam:ListAttachedGroupPolicies',
    'iam:ListUserPolicies',
    'iam:ListRolePolicies',
    'iam:ListGroupPolicies',
    'iam:GetUserPolicy',
    'iam:GetRolePolicy',
    'iam:GetGroupPolicy',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    'iam:ListEntitiesForPolicy',
  ],
  securityHubType: (ref) =>
    ref.arn.includes(':user/')
      ? 'AwsIamUser'
      : ref.arn.includes(':group/')
        ? 'AwsIamGroup'
        : 'AwsIamRole',
  configResourceTypes: [CFN_TYPES.user, CFN_TYPES.group, CFN_TYPES.role],
  collect: (clients, locator) => readHolder(clients, locator, locator.id!),
  fromConfigItem,
  fromTemplate: iamPrincipalsFromTemplate,
  enumerate: iamPrincipalEnumerator,
});
