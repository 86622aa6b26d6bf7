import { describe, expect, it } from 'vitest';
import { sqsVisibilityCoversFunction } from '../../policies/sqs-visibility-covers-function';
import {
  eventSourceRef,
  type LambdaEventSourceSnapshot,
} from '../../src/resources/lambda-event-source';

const mapping = (over: Partial<LambdaEventSourceSnapshot> = {}): LambdaEventSourceSnapshot => ({
  type: 'AWS::Lambda::EventSourceMapping',
  ref: eventSourceRef('123456789012', 'eu-west-1', 'a1b2c3d4-0000-4000-8000-000000000001'),
  uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
  functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-worker',
  eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
  state: 'Enabled',
  batchingWindowSeconds: 0,
  functionTimeoutSeconds: 30,
  queueVisibilityTimeoutSeconds: 180,
  ...over,
});
const defaults = sqsVisibilityCoversFunction.parameters.parse({});
const judge = (m: LambdaEventSourceSnapshot, p = defaults) =>
  sqsVisibilityCoversFunction.evaluate(m, p);

describe('sqs-visibility-covers-function', () => {
  it('states its metadata: notify, reliability, no remediator, multiplier 6 by default', () => {
    expect(sqsVisibilityCoversFunction).toMatchObject({
      defaultMode: 'notify',
      pillar: 'reliability',
    });
    expect(sqsVisibilityCoversFunction.remediatorId).toBeUndefined();
    expect(defaults).toEqual({ multiplier: 6 });
  });

  it('6 × the timeout complies; one second less violates; the batching window counts', () => {
    expect(judge(mapping())).toEqual({ compliant: true });
    const short = judge(mapping({ queueVisibilityTimeoutSeconds: 179 }));
    expect(short.compliant === false && short.finding.message).toBe(
      'Queue orders has a visibility timeout of 179 s, shorter than the 180 s its consumer orders-worker needs (6 × 30 s timeout + 0 s batching window).',
    );
    expect(judge(mapping({ batchingWindowSeconds: 20 })).compliant).toBe(false);
    expect(judge(mapping({ queueVisibilityTimeoutSeconds: 90 }), { multiplier: 3 })).toEqual({
      compliant: true,
    });
  });

  it('a non-SQS source, or an end that does not exist, is not applicable, with the reason', () => {
    expect(
      judge(mapping({ eventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks' })),
    ).toEqual({ compliant: null, notApplicable: 'the source is not an SQS queue' });
    const noQueue = mapping();
    delete noQueue.queueVisibilityTimeoutSeconds;
    expect(judge(noQueue)).toEqual({
      compliant: null,
      notApplicable: 'the queue arn:aws:sqs:eu-west-1:123456789012:orders was not found',
    });
  });

  it('rejects a multiplier outside 1–12, naming the field', () => {
    expect(() => sqsVisibilityCoversFunction.parameters.parse({ multiplier: 0 })).toThrow(
      /multiplier/,
    );
  });
});
