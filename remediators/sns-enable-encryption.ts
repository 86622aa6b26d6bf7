import { SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { defineRemediator } from '../src/engine/definitions';
import { readTopic, SNS_TOPIC, type SnsTopicSnapshot } from '../src/resources/sns-topic';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/** The AWS-managed key for SNS: no key policy to write, nothing created. */
export const SNS_MANAGED_KEY = 'alias/aws/sns';

/**
 * Encrypts the topic with alias/aws/sns (SetTopicAttributes KmsMasterKeyId), the one attribute
 * it sets. Not where the topic's policy lets an AWS service publish (EventBridge, S3,
 * CloudWatch alarms…): those services cannot use the AWS-managed key, so their messages
 * would stop; that topic needs a customer key whose policy allows them, which is the team's.
 */
export const snsEnableEncryption = defineRemediator<SnsTopicSnapshot>({
  id: 'sns-enable-encryption',
  description: 'Encrypts the topic with alias/aws/sns, unless an AWS service publishes to it.',
  resourceType: SNS_TOPIC,
  iamActions: { read: ['sns:GetTopicAttributes'], write: ['sns:SetTopicAttributes'] },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.kmsMasterKeyId, async (changes) => {
      const before = await readTopic(clients, snapshot.ref, snapshot.topicName);
      if (!before) return resourceGone(changes, `topic ${snapshot.topicName}`);
      if (before.kmsMasterKeyId) {
        return {
          status: 'already-compliant',
          changes,
          before: before.kmsMasterKeyId,
          after: before.kmsMasterKeyId,
        };
      }
      if (before.servicePublishers.length > 0) {
        return {
          status: 'failed',
          changes,
          before: undefined,
          after: undefined,
          error: `not encrypted with ${SNS_MANAGED_KEY}: ${before.servicePublishers.join(', ')} publish to topic ${snapshot.topicName} and cannot use that key (give it a customer key whose policy allows them)`,
        };
      }
      await clients.get(SNSClient, snapshot.ref).send(
        new SetTopicAttributesCommand({
          TopicArn: before.topicArn,
          AttributeName: 'KmsMasterKeyId',
          AttributeValue: SNS_MANAGED_KEY,
        }),
      );
      changes.push(`encrypted topic ${snapshot.topicName} with ${SNS_MANAGED_KEY}`);
      const after = await readTopic(clients, snapshot.ref, snapshot.topicName);
      if (!after?.kmsMasterKeyId) {
        return verificationFailed(
          changes,
          undefined,
          after?.kmsMasterKeyId,
          `topic ${snapshot.topicName} is still not encrypted`,
        );
      }
      return { status: 'reverted', changes, before: undefined, after: after.kmsMasterKeyId };
    }),
});
