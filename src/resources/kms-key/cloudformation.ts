import type { ResolvedTemplate, TemplateSubject } from '../../cloudformation/resolved';
import { knownString, templateSubject, TEMPLATE_SCOPE } from '../../cloudformation/subjects';
import { KMS_KEY, rotationUnsupported, type KmsKeySnapshot } from './snapshot';
import { kmsKeyRef } from './index';

/** `AWS::KMS::Key`: EnableKeyRotation defaults to false, KeySpec to SYMMETRIC_DEFAULT. */
export function kmsKeysFromTemplate(template: ResolvedTemplate): TemplateSubject<KmsKeySnapshot>[] {
  return template.resources
    .filter((r) => r.type === KMS_KEY)
    .map((r) =>
      templateSubject(r, ['EnableKeyRotation', 'KeySpec', 'Origin'], () => {
        const ref = kmsKeyRef(TEMPLATE_SCOPE.account, TEMPLATE_SCOPE.region, r.logicalId);
        const key: KmsKeySnapshot = {
          type: KMS_KEY,
          ref,
          keyId: r.logicalId,
          keyArn: ref.arn,
          keyManager: 'CUSTOMER',
          keySpec: knownString(r.properties.KeySpec) ?? 'SYMMETRIC_DEFAULT',
          keyState: r.properties.Enabled === false ? 'Disabled' : 'Enabled',
          origin: knownString(r.properties.Origin) ?? 'AWS_KMS',
        };
        if (rotationUnsupported(key)) return key;
        const rotation = r.properties.EnableKeyRotation;
        return { ...key, rotationEnabled: rotation === true || rotation === 'true' };
      }),
    );
}
