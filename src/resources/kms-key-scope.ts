import type { IamScope } from '../engine/definitions';

/**
 * KMS keys are no resource type of their own (no policy judges them yet); the DynamoDB
 * remediator only asks DynamoDB to create a grant on a table's key, under the conditions it
 * declares.
 */
export const KMS_KEY_SCOPE: IamScope = {
  service: 'kms',
  arns: (p, a) => [`arn:${p}:kms:*:${a}:key/*`],
  reason:
    "Grants for a table's KMS key, only for an AWS resource through DynamoDB (kms:GrantIsForAWSResource, kms:ViaService).",
};
