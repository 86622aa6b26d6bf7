import {
  Aws,
  aws_dynamodb as dynamodb,
  aws_events as events,
  aws_iam as iam,
  Lazy,
  Stack,
} from 'aws-cdk-lib';
import type { aws_kms as kms, aws_sqs as sqs } from 'aws-cdk-lib';
import { acknowledge } from './nag';
import { ownPermissionsFence, type PolicyGrant } from './permissions';

/** Adds derived grants (src: infra/permissions.ts) to a role's policy, one statement each. */
export function addGrants(role: iam.Role, grants: readonly PolicyGrant[]): void {
  for (const grant of grants) {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: grant.sid,
        effect: grant.effect === 'Deny' ? iam.Effect.DENY : iam.Effect.ALLOW,
        actions: grant.actions,
        resources: grant.resources,
        ...(grant.conditions
          ? { conditions: grant.conditions as Record<string, Record<string, unknown>> }
          : {}),
      }),
    );
  }
}

/** IAM's limit for a managed policy (a permissions boundary is one), whitespace not counted. */
export const MAX_MANAGED_POLICY_CHARACTERS = 6_144;

/**
 * Fences a role that may write IAM: an explicit Deny of every permission-changing IAM
 * action on Rampart's own roles and on its boundary, and a permissions boundary that allows
 * no action the role was not given. Whatever is attached to the role later, it cannot gain
 * a new action or touch Rampart itself.
 *
 * The boundary lists the role's actions, not its statements: a copy of every statement
 * (each with its resource ARNs) outgrows the 6,144 characters IAM allows a managed policy
 * as the pack grows, and CDK moves statements of a large role policy into overflow
 * policies that a copy would miss. The actions are collected at synthesis, from the role's
 * policy and its overflow policies, so statements added after this call are included.
 */
export function fenceOwnPermissions(
  role: iam.Role,
  props: { boundaryName: string; ownRoleArns: string[] },
): iam.ManagedPolicy {
  // Built from the name, not the construct's ARN: the document cannot refer to itself.
  const boundaryArn = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:policy/${props.boundaryName}`;
  const fence = ownPermissionsFence(props.ownRoleArns, [boundaryArn]);
  addGrants(role, fence);
  const stack = Stack.of(role);
  const allowedActions = () => {
    const documents = [
      (role.node.tryFindChild('DefaultPolicy') as iam.Policy).document,
      ...role.node.children
        .filter((c): c is iam.ManagedPolicy => c instanceof iam.ManagedPolicy)
        .filter((c) => c.node.id.startsWith('OverflowPolicy'))
        .map((c) => c.document),
    ];
    const actions = new Set<string>();
    for (const document of documents) {
      const resolved = stack.resolve(document) as { Statement?: Record<string, unknown>[] };
      for (const statement of resolved.Statement ?? []) {
        if (statement.Effect !== 'Allow') continue;
        for (const action of [statement.Action].flat()) {
          if (typeof action === 'string') actions.add(action);
        }
      }
    }
    return [...actions].sort();
  };
  // A child of the role, so the findings acknowledged for its grants cover their copy here.
  const boundary = new iam.ManagedPolicy(role, 'Boundary', {
    managedPolicyName: props.boundaryName,
    description: `Permissions boundary of ${role.node.id}: only its own actions, never Rampart's own roles`,
    document: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'OnlyTheRolesOwnActions',
          actions: Lazy.list({ produce: allowedActions }),
          resources: ['*'],
        }),
        ...fence.map(
          (grant) =>
            new iam.PolicyStatement({
              sid: grant.sid,
              effect: iam.Effect.DENY,
              actions: grant.actions,
              resources: grant.resources,
            }),
        ),
      ],
    }),
  });
  // A boundary grants nothing by itself: `*` here only caps the role to its own actions.
  acknowledge(
    boundary,
    "A permissions boundary grants nothing: its Allow on `*` caps the role to the actions its own policy grants (on that policy's resources); the Deny statements keep Rampart's roles and boundary out of its reach.",
    'AwsSolutions-IAM5[Resource::*]',
  );
  iam.PermissionsBoundary.of(role).apply(boundary);
  return boundary;
}

/**
 * Grants written out action by action. CDK's grant helpers add wildcard actions
 * (`kms:GenerateDataKey*`, `kms:ReEncrypt*`, `kms:*` in default key policies); Rampart's
 * templates grant no `*` action anywhere, so these helpers list exactly what is used.
 */

/** Key administration by the account (delegating use to IAM), plus the services that encrypt. */
export function keyPolicy(): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AccountAdministersKeyThroughIam',
        principals: [new iam.AccountRootPrincipal()],
        actions: [
          'kms:CancelKeyDeletion',
          'kms:CreateAlias',
          'kms:CreateGrant',
          'kms:Decrypt',
          'kms:DeleteAlias',
          'kms:DescribeKey',
          'kms:DisableKey',
          'kms:DisableKeyRotation',
          'kms:EnableKey',
          'kms:EnableKeyRotation',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:GetKeyPolicy',
          'kms:GetKeyRotationStatus',
          'kms:ListGrants',
          'kms:ListResourceTags',
          'kms:PutKeyPolicy',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:RetireGrant',
          'kms:RevokeGrant',
          'kms:ScheduleKeyDeletion',
          'kms:TagResource',
          'kms:UntagResource',
          'kms:UpdateAlias',
          'kms:UpdateKeyDescription',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'AlarmsAndRulesEncryptForThisAccount',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('events.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    ],
  });
}

export function grantKeyUse(grantee: iam.IGrantable, key: kms.IKey, use: 'decrypt' | 'encrypt') {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions:
        use === 'decrypt'
          ? ['kms:Decrypt', 'kms:DescribeKey']
          : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
    }),
  );
}

/**
 * Exactly the table actions the code that uses the table declares (e.g.
 * EXCEPTIONS_TABLE_ACTIONS), on that table only, plus use of its key.
 */
export function grantTableActions(
  grantee: iam.IGrantable,
  table: dynamodb.ITable,
  key: kms.IKey,
  actions: readonly string[],
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [...actions], resources: [table.tableArn] }),
  );
  const writes = actions.some((a) => !/^dynamodb:(Get|BatchGet|Query|Scan|Describe)/.test(a));
  grantKeyUse(grantee, key, writes ? 'encrypt' : 'decrypt');
}

/**
 * Rule target for a KMS-encrypted queue (with the rule's own DLQ): the queue policies let
 * only this account's rules on the given bus send, and the key policy lets EventBridge
 * encrypt (see keyPolicy).
 */
export class EncryptedQueueTarget implements events.IRuleTarget {
  private policiesAdded = false;

  constructor(
    private readonly queue: sqs.Queue,
    private readonly deadLetterQueue: sqs.Queue,
    private readonly busName: string,
  ) {}

  bind(): events.RuleTargetConfig {
    if (!this.policiesAdded) {
      this.policiesAdded = true;
      for (const queue of [this.queue, this.deadLetterQueue]) {
        queue.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: 'RampartRulesDeliver',
            principals: [new iam.ServicePrincipal('events.amazonaws.com')],
            actions: ['sqs:SendMessage'],
            resources: [queue.queueArn],
            conditions: {
              ArnLike: {
                'aws:SourceArn': `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${this.busName}/*`,
              },
            },
          }),
        );
      }
    }
    return {
      arn: this.queue.queueArn,
      deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
    };
  }
}
