import { describe, expect, it } from 'vitest';
import { snsTopicEncrypted } from '../../policies/sns-topic-encrypted';
import { servicePrincipalsOf, topicSnapshot } from '../../src/resources/sns-topic';

const scope = { account: '123456789012', region: 'eu-west-1' };
const ARN = 'arn:aws:sns:eu-west-1:123456789012:orders';

describe('sns-topic-encrypted', () => {
  it('states its metadata: enforce, its remediator, FSBP SNS.1', () => {
    expect(snsTopicEncrypted).toMatchObject({
      defaultMode: 'enforce',
      remediatorId: 'sns-enable-encryption',
    });
    expect(snsTopicEncrypted.controls).toContainEqual({ framework: 'aws-fsbp', id: 'SNS.1' });
  });

  it('a topic with a KMS key complies; without one violates', () => {
    expect(
      snsTopicEncrypted.evaluate(
        topicSnapshot(scope, ARN, { KmsMasterKeyId: 'alias/aws/sns' }),
        {},
      ),
    ).toEqual({ compliant: true });
    const v = snsTopicEncrypted.evaluate(topicSnapshot(scope, ARN, {}), {});
    expect(v.compliant === false && v.finding.message).toBe(
      'SNS topic orders is not encrypted at rest (no KmsMasterKeyId).',
    );
  });

  it('reads the AWS services a topic policy lets publish, and nothing from a bad policy', () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 's3.amazonaws.com'] },
          Action: 'sns:Publish',
        },
        {
          Effect: 'Deny',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
        },
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Subscribe' },
      ],
    });
    expect(servicePrincipalsOf(policy)).toEqual(['events.amazonaws.com', 's3.amazonaws.com']);
    expect(servicePrincipalsOf('{not json')).toEqual([]);
    expect(servicePrincipalsOf(undefined)).toEqual([]);
  });
});
