import { describe, expect, it } from 'vitest';
import { sqsHasDlq } from '../../policies/sqs-has-dlq';
import { queueSnapshot } from '../../src/resources/sqs-queue';

const scope = { account: '123456789012', region: 'eu-west-1' };
const queue = (
  name: string,
  attributes: Record<string, string> = {},
  extra: Parameters<typeof queueSnapshot>[3] = { deadLetterSourceQueueUrls: [] },
) =>
  queueSnapshot(
    scope,
    `https://sqs.eu-west-1.amazonaws.com/123456789012/${name}`,
    attributes,
    extra,
  );
const defaults = sqsHasDlq.parameters.parse({});

describe('sqs-has-dlq', () => {
  it('accepts a queue with a RedrivePolicy', () => {
    const redrive = JSON.stringify({
      deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:orders-dlq',
      maxReceiveCount: 3,
    });
    expect(
      sqsHasDlq.evaluate(queue('orders', { RedrivePolicy: redrive }), defaults).compliant,
    ).toBe(true);
  });

  it('flags a queue without one and passes maxReceiveCount', () => {
    const verdict = sqsHasDlq.evaluate(queue('orders'), defaults);
    expect(verdict.compliant).toBe(false);
    expect(verdict.compliant === false && verdict.finding.remedy).toEqual({ maxReceiveCount: 5 });
  });

  it('treats an empty or unparsable RedrivePolicy as none', () => {
    expect(sqsHasDlq.evaluate(queue('orders', { RedrivePolicy: '' }), defaults).compliant).toBe(
      false,
    );
    expect(
      sqsHasDlq.evaluate(queue('orders', { RedrivePolicy: '{"maxReceiveCount":3}' }), defaults)
        .compliant,
    ).toBe(false);
  });

  it('is not applicable to a queue that is itself a DLQ: by source queues, by tag, or by name (FIFO too)', () => {
    expect(
      sqsHasDlq.evaluate(
        queue('parking', {}, { deadLetterSourceQueueUrls: ['https://x/123456789012/orders'] }),
        defaults,
      ).compliant,
    ).toBeNull();
    expect(
      sqsHasDlq.evaluate(
        queue('parking', {}, { tags: { 'rampart:dead-letter-queue': 'arn:x' } }),
        defaults,
      ).compliant,
    ).toBeNull();
    expect(sqsHasDlq.evaluate(queue('orders-dlq'), defaults).compliant).toBeNull();
    expect(
      sqsHasDlq.evaluate(queue('orders-dlq.fifo', { FifoQueue: 'true' }), defaults).compliant,
    ).toBeNull();
    expect(sqsHasDlq.evaluate(queue('orders-DeadLetter'), defaults).compliant).toBeNull();
    const verdict = sqsHasDlq.evaluate(queue('orders-dlq'), defaults);
    expect(verdict.compliant === null && verdict.notApplicable).toBe(
      'is itself a dead-letter queue (named *-dlq)',
    );
  });

  it('judges a FIFO queue by its name without .fifo and honours configured suffixes', () => {
    expect(
      sqsHasDlq.evaluate(queue('orders.fifo', { FifoQueue: 'true' }), defaults).compliant,
    ).toBe(false);
    const custom = sqsHasDlq.parameters.parse({ deadLetterSuffixes: ['-parking'] });
    expect(sqsHasDlq.evaluate(queue('orders-dlq'), custom).compliant).toBe(false);
    expect(sqsHasDlq.evaluate(queue('orders-parking'), custom).compliant).toBeNull();
  });

  it('rejects a maxReceiveCount outside 1..1000', () => {
    expect(() => sqsHasDlq.parameters.parse({ maxReceiveCount: 0 })).toThrow();
    expect(() => sqsHasDlq.parameters.parse({ maxReceiveCount: 1001 })).toThrow();
  });
});
