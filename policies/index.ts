import type { AnyPolicy } from '../src/engine/definitions';
import { cloudTrailLoggingOn } from './cloudtrail-logging-on';
import { cloudTrailMultiRegionTrail } from './cloudtrail-multi-region-trail';
import { rdsMultiAz } from './rds-multi-az';
import { rdsBackupRetentionSet } from './rds-backup-retention-set';
import { sqsVisibilityCoversFunction } from './sqs-visibility-covers-function';
import { rdsSnapshotNotPublic } from './rds-snapshot-not-public';
import { lambdaFunctionUrlAuth } from './lambda-function-url-auth';
import { lambdaNotPublic } from './lambda-not-public';
import { s3BucketSslOnly } from './s3-bucket-ssl-only';
import { rdsDeletionProtectionEnabled } from './rds-deletion-protection-enabled';
import { dynamodbDeletionProtectionEnabled } from './dynamodb-deletion-protection-enabled';
import { dynamodbEncryptedKms } from './dynamodb-encrypted-kms';
import { dynamodbPitrEnabled } from './dynamodb-pitr-enabled';
import { ec2Imdsv2Required } from './ec2-imdsv2-required';
import { eventbridgeTargetHasDlq } from './eventbridge-target-has-dlq';
import { iamNoAdminAccess } from './iam-no-admin-access';
import { kmsKeyRotationEnabled } from './kms-key-rotation-enabled';
import { lambdaArm64 } from './lambda-arm64';
import { lambdaHasDlq } from './lambda-has-dlq';
import { lambdaMemoryAboveMinimum } from './lambda-memory-above-minimum';
import { lambdaRuntimeSupported } from './lambda-runtime-supported';
import { lambdaTracingActive } from './lambda-tracing-active';
import { logsRetentionSet } from './logs-retention-set';
import { rdsEncrypted } from './rds-encrypted';
import { rdsNotPublic } from './rds-not-public';
import { s3BucketPublicAccessBlocked } from './s3-bucket-public-access-blocked';
import { sgNoPublicIngress } from './sg-no-public-ingress';
import { snsSubscriptionHasDlq } from './sns-subscription-has-dlq';
import { snsTopicEncrypted } from './sns-topic-encrypted';
import { sqsEncrypted } from './sqs-encrypted';
import { sqsHasDlq } from './sqs-has-dlq';

/** The policy pack: one file per policy, one line here. */
export const policies: readonly AnyPolicy[] = [
  sgNoPublicIngress,
  dynamodbEncryptedKms,
  rdsEncrypted,
  lambdaHasDlq,
  sqsHasDlq,
  snsSubscriptionHasDlq,
  eventbridgeTargetHasDlq,
  iamNoAdminAccess,
  s3BucketPublicAccessBlocked,
  sqsEncrypted,
  rdsNotPublic,
  lambdaRuntimeSupported,
  lambdaTracingActive,
  lambdaArm64,
  lambdaMemoryAboveMinimum,
  cloudTrailLoggingOn,
  dynamodbPitrEnabled,
  kmsKeyRotationEnabled,
  logsRetentionSet,
  snsTopicEncrypted,
  ec2Imdsv2Required,
  dynamodbDeletionProtectionEnabled,
  rdsDeletionProtectionEnabled,
  s3BucketSslOnly,
  lambdaNotPublic,
  lambdaFunctionUrlAuth,
  rdsSnapshotNotPublic,
  sqsVisibilityCoversFunction,
  rdsBackupRetentionSet,
  rdsMultiAz,
  cloudTrailMultiRegionTrail,
];
