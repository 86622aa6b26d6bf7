import { describe, expect, it } from 'vitest';
import { kmsKeyRotationEnabled } from '../../policies/kms-key-rotation-enabled';
import { kmsKeyRef, type KmsKeySnapshot } from '../../src/resources/kms-key';

const key = (over: Partial<KmsKeySnapshot> = {}): KmsKeySnapshot => ({
  type: 'AWS::KMS::Key',
  ref: kmsKeyRef('123456789012', 'eu-west-1', '1234abcd-12ab-34cd-56ef-1234567890ab'),
  keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  keyManager: 'CUSTOMER',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyState: 'Enabled',
  origin: 'AWS_KMS',
  rotationEnabled: true,
  ...over,
});

describe('kms-key-rotation-enabled', () => {
  it('states its metadata: enforce, its remediator, FSBP KMS.4 and CIS 3.6', () => {
    expect(kmsKeyRotationEnabled).toMatchObject({
      defaultMode: 'enforce',
      remediatorId: 'kms-enable-rotation',
    });
    expect(kmsKeyRotationEnabled.controls).toEqual(
      expect.arrayContaining([
        { framework: 'aws-fsbp', id: 'KMS.4' },
        { framework: 'cis-aws-foundations-3.0', id: '3.6' },
      ]),
    );
  });

  it('rotation on complies; off violates', () => {
    expect(kmsKeyRotationEnabled.evaluate(key(), {})).toEqual({ compliant: true });
    const v = kmsKeyRotationEnabled.evaluate(key({ rotationEnabled: false }), {});
    expect(v.compliant === false && v.finding.message).toBe(
      'KMS key 1234abcd-12ab-34cd-56ef-1234567890ab does not rotate automatically.',
    );
  });

  it('keys that cannot rotate are not applicable, each with why', () => {
    for (const over of [
      { keyManager: 'AWS' },
      { keySpec: 'RSA_2048' },
      { keySpec: 'HMAC_256' },
      { origin: 'EXTERNAL' },
      { keyState: 'PendingDeletion' },
    ]) {
      const v = kmsKeyRotationEnabled.evaluate(key({ ...over, rotationEnabled: false }), {});
      expect(v.compliant, JSON.stringify(over)).toBeNull();
    }
  });
});
