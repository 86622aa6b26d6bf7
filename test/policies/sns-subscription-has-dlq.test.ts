import { describe, expect, it } from 'vitest';
import { snsSubscriptionHasDlq } from '../../policies/sns-subscription-has-dlq';
import {
  snsSubscriptionRef,
  type SnsSubscriptionSnapshot,
} from '../../src/resources/sns-subscription';

const ARN = 'arn:aws:sns:eu-west-1:123456789012:orders:0f3c9a7e-2b1d-4c55-9d0e-1a2b3c4d5e6f';
const sub = (over: Partial<SnsSubscriptionSnapshot> = {}): SnsSubscriptionSnapshot => ({
  type: 'AWS::SNS::Subscription',
  ref: snsSubscriptionRef(ARN),
  subscriptionArn: ARN,
  topicArn: 'arn:aws:sns:eu-west-1:123456789012:orders',
  protocol: 'sqs',
  endpoint: 'arn:aws:sqs:eu-west-1:123456789012:billing',
  ...over,
});
const defaults = snsSubscriptionHasDlq.parameters.parse({});

describe('sns-subscription-has-dlq', () => {
  it('flags lambda, sqs, http and https subscriptions without a RedrivePolicy', () => {
    for (const protocol of ['lambda', 'sqs', 'http', 'https']) {
      expect(snsSubscriptionHasDlq.evaluate(sub({ protocol }), defaults).compliant).toBe(false);
    }
  });

  it('accepts a subscription with a DLQ', () => {
    expect(
      snsSubscriptionHasDlq.evaluate(
        sub({ deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:orders-dlq' }),
        defaults,
      ).compliant,
    ).toBe(true);
  });

  it('is not applicable to protocols outside the configured list (email by default)', () => {
    expect(snsSubscriptionHasDlq.evaluate(sub({ protocol: 'email' }), defaults)).toEqual({
      compliant: null,
      notApplicable: 'protocol email is not one this policy covers',
    });
    const strict = snsSubscriptionHasDlq.parameters.parse({ protocols: ['email'] });
    expect(snsSubscriptionHasDlq.evaluate(sub({ protocol: 'email' }), strict).compliant).toBe(
      false,
    );
    expect(snsSubscriptionHasDlq.evaluate(sub({ protocol: 'sqs' }), strict).compliant).toBeNull();
  });

  it('names the allowed protocols when given an unknown one', () => {
    expect(() => snsSubscriptionHasDlq.parameters.parse({ protocols: ['pigeon'] })).toThrow(
      /lambda/,
    );
  });
});
