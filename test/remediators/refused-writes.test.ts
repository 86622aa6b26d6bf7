import {
  EventBridgeClient,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  GetSubscriptionAttributesCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventbridgeTargetAddDlq } from '../../remediators/eventbridge-target-add-dlq';
import { iamRemoveAdminAccess } from '../../remediators/iam-remove-admin-access';
import { snsSubscriptionAddDlq } from '../../remediators/sns-subscription-add-dlq';
import { sqsAddDlq } from '../../remediators/sqs-add-dlq';
import { AwsClients } from '../../src/aws/clients';
import { eventBridgeRuleRef } from '../../src/resources/eventbridge-rule';
import { iamRef } from '../../src/resources/iam-principal';
import { snsSubscriptionRef } from '../../src/resources/sns-subscription';
import { queueSnapshot } from '../../src/resources/sqs-queue';

// IAM permissions are not enforced by moto: refused writes are simulated with the error
// shapes AWS returns, to check that each remediator reports `failed` with the AWS error.
const sqs = mockClient(SQSClient);
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
const iam = mockClient(IAMClient);
const denied = (name: string, message: string) => Object.assign(new Error(message), { name });
const REGION = 'eu-west-3';
const ACCOUNT = '123456789012';
const violation = (
  resource: unknown,
  elements: { kind: string; id?: string; description: string }[] = [],
  remedy?: Record<string, unknown>,
) => ({ policyId: 'p', resource, message: 'm', elements, ...(remedy ? { remedy } : {}) }) as never;

describe('remediators report a refused write as failed with the AWS error', () => {
  const clients = new AwsClients({ maxAttempts: 1 });
  afterEach(() => [sqs, sns, events, iam].forEach((m) => m.reset()));
  afterAll(() => {
    [sqs, sns, events, iam].forEach((m) => m.restore());
    clients.destroy();
  });

  it('sqs-add-dlq: CreateQueue refused, nothing claimed', async () => {
    const url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders`;
    sqs.on(GetQueueUrlCommand, { QueueName: 'orders' }).resolves({ QueueUrl: url });
    sqs
      .on(GetQueueUrlCommand, { QueueName: 'orders-dlq' })
      .rejects(denied('QueueDoesNotExist', 'The specified queue does not exist.'));
    sqs
      .on(GetQueueAttributesCommand)
      .resolves({ Attributes: { QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders` } });
    sqs.on(ListDeadLetterSourceQueuesCommand).resolves({ queueUrls: [] });
    sqs.on(ListQueueTagsCommand).resolves({ Tags: {} });
    sqs
      .on(CreateQueueCommand)
      .rejects(denied('AccessDenied', 'not authorized to perform: sqs:CreateQueue'));
    const snapshot = queueSnapshot({ account: ACCOUNT, region: REGION }, url, {}, {});
    const result = await sqsAddDlq.remediate({
      clients,
      snapshot,
      violation: violation(snapshot.ref),
    });
    expect(result).toMatchObject({
      status: 'failed',
      changes: [],
      error: 'AccessDenied: not authorized to perform: sqs:CreateQueue',
    });
  });

  it('sns-subscription-add-dlq: SetSubscriptionAttributes refused after the queue was made', async () => {
    const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:orders:0f3c9a7e-2b1d-4c55-9d0e-1a2b3c4d5e6f`;
    sns.on(GetSubscriptionAttributesCommand).resolves({
      Attributes: { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:orders`, Protocol: 'sqs' },
    });
    sns
      .on(SetSubscriptionAttributesCommand)
      .rejects(
        denied(
          'AuthorizationErrorException',
          'not authorized to perform: SNS:SetSubscriptionAttributes',
        ),
      );
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: `https://sqs/${ACCOUNT}/orders-dlq` });
    // A queue Rampart created for this topic earlier: only then is its policy extended.
    sqs.on(ListQueueTagsCommand).resolves({
      Tags: { 'rampart:dead-letter-queue': `arn:aws:sns:${REGION}:${ACCOUNT}:orders` },
    });
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: { QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq`, Policy: '' },
    });
    const snapshot = {
      type: 'AWS::SNS::Subscription' as const,
      ref: snsSubscriptionRef(arn),
      subscriptionArn: arn,
      topicArn: '',
      protocol: 'sqs',
    };
    const result = await snsSubscriptionAddDlq.remediate({
      clients,
      snapshot,
      violation: violation(snapshot.ref),
    });
    expect(result.status).toBe('failed');
    expect(result.error).toBe(
      'AuthorizationErrorException: not authorized to perform: SNS:SetSubscriptionAttributes',
    );
    // What did happen is still reported: the queue policy statement was added.
    expect(result.changes).toEqual([
      expect.stringMatching(
        /^allowed sns.amazonaws.com from arn:aws:sns:.* to send to orders-dlq \(queue policy\)$/,
      ),
    ]);
  });

  it('eventbridge-target-add-dlq: a PutTargets failed entry is a failure naming the target', async () => {
    events
      .on(DescribeRuleCommand)
      .resolves({ Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/nightly` });
    events
      .on(ListTargetsByRuleCommand)
      .resolves({ Targets: [{ Id: 'work', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:work` }] });
    events.on(PutTargetsCommand).resolves({
      FailedEntryCount: 1,
      FailedEntries: [
        { TargetId: 'work', ErrorCode: 'AccessDeniedException', ErrorMessage: 'denied' },
      ],
    });
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: `https://sqs/${ACCOUNT}/nightly-dlq` });
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: {
        QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:nightly-dlq`,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
      },
    });
    sqs.on(SetQueueAttributesCommand).resolves({});
    const ref = eventBridgeRuleRef(ACCOUNT, REGION, 'default', 'nightly');
    sqs.on(ListQueueTagsCommand).resolves({ Tags: { 'rampart:dead-letter-queue': ref.arn } });
    const snapshot = {
      type: 'AWS::Events::Rule' as const,
      ref,
      ruleName: 'nightly',
      eventBusName: 'default',
      ruleArn: ref.arn,
      targets: [],
    };
    const result = await eventbridgeTargetAddDlq.remediate({
      clients,
      snapshot,
      violation: violation(ref, [{ kind: 'rule-target', id: 'work', description: 'x' }]),
    });
    expect(result).toMatchObject({
      status: 'failed',
      error: 'PutTargets refused work: AccessDeniedException denied',
    });
  });

  it('iam-remove-admin-access: DetachRolePolicy refused', async () => {
    const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'deployer',
        Arn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
        Path: '/',
        RoleId: 'AROA',
        CreateDate: new Date(),
      },
    });
    iam
      .on(ListAttachedRolePoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyArn: ADMIN, PolicyName: 'AdministratorAccess' }] });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
    iam
      .on(DetachRolePolicyCommand)
      .rejects(denied('AccessDenied', 'not authorized to perform: iam:DetachRolePolicy'));
    const ref = iamRef('role', ACCOUNT, 'deployer', `arn:aws:iam::${ACCOUNT}:role/deployer`);
    const principal = { kind: 'role' as const, name: 'deployer' };
    const snapshot = {
      type: 'AWS::IAM::Principal' as const,
      ref,
      kind: 'role' as const,
      name: 'deployer',
      arn: ref.arn,
      attachedPolicies: [],
      inlinePolicies: [],
      attachments: [],
    };
    const result = await iamRemoveAdminAccess.remediate({
      clients,
      snapshot,
      violation: violation(ref, [], {
        detach: [{ principal, policyArn: ADMIN }],
        deleteInline: [],
      }),
    });
    expect(result).toMatchObject({
      status: 'failed',
      changes: [],
      error: 'AccessDenied: not authorized to perform: iam:DetachRolePolicy',
    });
  });
});
