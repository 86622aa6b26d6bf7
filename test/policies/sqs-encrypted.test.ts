import { describe, expect, it } from 'vitest';
import { sqsEncrypted } from '../../policies/sqs-encrypted';
import { queueSnapshot } from '../../src/resources/sqs-queue';

const scope = { account: '123456789012', region: 'eu-west-1' };
const queue = (attributes: Record<string, string>) =>
  queueSnapshot(scope, 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders', attributes, {});
const params = sqsEncrypted.parameters.parse({});

describe('sqs-encrypted', () => {
  it('states its id, metadata and defaults', () => {
    expect(sqsEncrypted).toMatchObject({
      id: 'sqs-encrypted',
      defaultMode: 'enforce',
      remediatorId: 'sqs-enable-sse',
      pillar: 'security',
    });
    expect(sqsEncrypted.controls).toContainEqual({ framework: 'aws-fsbp', id: 'SQS.1' });
  });

  it('is compliant with SQS-managed encryption or a KMS key', () => {
    expect(sqsEncrypted.evaluate(queue({ SqsManagedSseEnabled: 'true' }), params)).toEqual({
      compliant: true,
    });
    expect(
      sqsEncrypted.evaluate(
        queue({ SqsManagedSseEnabled: 'false', KmsMasterKeyId: 'alias/orders' }),
        params,
      ),
    ).toEqual({ compliant: true });
  });

  it('violates with neither, and says so', () => {
    for (const attributes of [{ SqsManagedSseEnabled: 'false' }, {}] as Record<string, string>[]) {
      const verdict = sqsEncrypted.evaluate(queue(attributes), params);
      expect(verdict.compliant).toBe(false);
      if (verdict.compliant !== false) return;
      expect(verdict.finding.message).toBe(
        'SQS queue orders is not encrypted at rest (SqsManagedSseEnabled false, no KmsMasterKeyId).',
      );
    }
  });

  it('takes no parameters', () => {
    expect(() => sqsEncrypted.parameters.parse({ keyId: 'x' })).toThrow(/keyId/);
  });
});
