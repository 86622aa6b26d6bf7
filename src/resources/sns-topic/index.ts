import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { arnScope, isAwsError, refOf, requiredString } from '../shared';
import { SNS_SCOPE } from '../sns-scope';
import { snsTopicsFromTemplate } from './cloudformation';
import { snsTopicEnumerator } from './enumerate';
import { SNS_TOPIC, servicePrincipalsOf, type SnsTopicSnapshot } from './snapshot';

export * from './snapshot';

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:([\w-]{1,256}(?:\.fifo)?)$/;

export function snsTopicRef(account: string, region: string, name: string): ResourceRef {
  return refOf(
    SNS_TOPIC,
    account,
    region,
    name,
    (p) => `arn:${p}:sns:${region}:${account}:${name}`,
  );
}

export function topicSnapshot(
  scope: { account: string; region: string },
  topicArn: string,
  attributes: Record<string, string | undefined>,
): SnsTopicSnapshot {
  const name = TOPIC_ARN.exec(topicArn)?.[1] ?? topicArn.split(':').pop()!;
  const ref = snsTopicRef(scope.account, scope.region, name);
  return {
    type: SNS_TOPIC,
    ref,
    topicArn,
    topicName: name,
    ...(attributes.KmsMasterKeyId ? { kmsMasterKeyId: attributes.KmsMasterKeyId } : {}),
    servicePublishers: servicePrincipalsOf(attributes.Policy),
  };
}

export async function readTopic(
  clients: AwsClients,
  scope: { account: string; region: string },
  name: string,
): Promise<SnsTopicSnapshot | undefined> {
  const topicArn = snsTopicRef(scope.account, scope.region, name).arn;
  try {
    const out = await clients
      .get(SNSClient, scope)
      .send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    return topicSnapshot(scope, topicArn, out.Attributes ?? {});
  } catch (error) {
    if (isAwsError(error, 'NotFound', 'NotFoundException')) return undefined;
    throw error;
  }
}

/** The topic by its ARN (SetTopicAttributes' request, CreateTopic's response); its name is its id. */
const byTopicArn =
  (...paths: string[]): CloudTrailLocator =>
  (record, where) => {
    const raw = requiredString(record, paths);
    return [{ type: SNS_TOPIC, ...arnScope(raw, where), id: TOPIC_ARN.exec(raw)?.[1] ?? raw }];
  };

export const snsTopicType = defineResourceType<SnsTopicSnapshot>({
  type: SNS_TOPIC,
  eventSource: 'sns.amazonaws.com',
  iam: SNS_SCOPE,
  securityHubType: 'AwsSnsTopic',
  // Config's topic item does not show the access policy the remediator checks: read live.
  configResourceTypes: ['AWS::SNS::Topic'],
  cloudFormationTypes: ['AWS::SNS::Topic'],
  cloudTrail: {
    CreateTopic: byTopicArn('response.topicArn'),
    SetTopicAttributes: byTopicArn('request.topicArn'),
  },
  readActions: ['sns:GetTopicAttributes'],
  collect: (clients, locator) => readTopic(clients, locator, locator.id ?? locator.name!),
  fromTemplate: snsTopicsFromTemplate,
  enumerate: snsTopicEnumerator,
});
