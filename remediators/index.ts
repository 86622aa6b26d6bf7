import type { AnyRemediator } from '../src/engine/definitions';
import { cloudTrailStartLogging } from './cloudtrail-start-logging';
import { rdsSnapshotMakePrivate } from './rds-snapshot-make-private';
import { lambdaUrlRequireIam } from './lambda-url-require-iam';
import { lambdaRemovePublicPermissions } from './lambda-remove-public-permissions';
import { s3DenyInsecureTransport } from './s3-deny-insecure-transport';
import { rdsEnableDeletionProtection } from './rds-enable-deletion-protection';
import { dynamodbEnableDeletionProtection } from './dynamodb-enable-deletion-protection';
import { dynamodbEnableKms } from './dynamodb-enable-kms';
import { dynamodbEnablePitr } from './dynamodb-enable-pitr';
import { eventbridgeTargetAddDlq } from './eventbridge-target-add-dlq';
import { iamRemoveAdminAccess } from './iam-remove-admin-access';
import { kmsEnableRotation } from './kms-enable-rotation';
import { lambdaAddFailureDestination } from './lambda-add-failure-destination';
import { logsSetRetention } from './logs-set-retention';
import { rdsMakePrivate } from './rds-make-private';
import { revokeIngress } from './revoke-ingress';
import { s3BlockPublicAccess } from './s3-block-public-access';
import { snsEnableEncryption } from './sns-enable-encryption';
import { snsSubscriptionAddDlq } from './sns-subscription-add-dlq';
import { sqsAddDlq } from './sqs-add-dlq';
import { sqsEnableSse } from './sqs-enable-sse';

/** Every remediator: one file each, one line here. */
export const remediators: readonly AnyRemediator[] = [
  revokeIngress,
  dynamodbEnableKms,
  sqsAddDlq,
  snsSubscriptionAddDlq,
  eventbridgeTargetAddDlq,
  lambdaAddFailureDestination,
  iamRemoveAdminAccess,
  s3BlockPublicAccess,
  sqsEnableSse,
  rdsMakePrivate,
  cloudTrailStartLogging,
  dynamodbEnablePitr,
  kmsEnableRotation,
  logsSetRetention,
  snsEnableEncryption,
  dynamodbEnableDeletionProtection,
  rdsEnableDeletionProtection,
  s3DenyInsecureTransport,
  lambdaRemovePublicPermissions,
  lambdaUrlRequireIam,
  rdsSnapshotMakePrivate,
];
