import type { DemoScenario } from '../scenario';
import { cloudTrailScenario } from './cloudtrail-trail';
import { dynamoDbDeletionProtectionScenario } from './dynamodb-deletion-protection';
import { dynamoDbTableScenario } from './dynamodb-table';
import { ec2InstanceScenario } from './ec2-instance';
import { kmsKeyScenario } from './kms-key';
import { eventBridgeRuleScenario } from './eventbridge-rule';
import { lambdaEventSourceScenario } from './lambda-event-source';
import { lambdaFunctionScenario } from './lambda-function';
import { logGroupScenario } from './log-group';
import { rdsDatabaseScenario } from './rds-database';
import { rdsDeletionProtectionScenario } from './rds-deletion-protection';
import { rdsSnapshotScenario } from './rds-snapshot';
import { s3BucketScenario } from './s3-bucket';
import { s3BucketSslScenario } from './s3-bucket-ssl';
import { securityGroupScenario } from './security-group';
import { snsSubscriptionScenario } from './sns-subscription';
import { snsTopicScenario } from './sns-topic';
import { sqsEncryptionScenario } from './sqs-encryption';
import { sqsQueueScenario } from './sqs-queue';

/** One scenario per policy; the demo runs them in this order. */
export const demoScenarios: readonly DemoScenario[] = [
  cloudTrailScenario,
  securityGroupScenario,
  sqsQueueScenario,
  snsSubscriptionScenario,
  eventBridgeRuleScenario,
  lambdaFunctionScenario,
  s3BucketScenario,
  sqsEncryptionScenario,
  rdsDatabaseScenario,
  dynamoDbTableScenario,
  kmsKeyScenario,
  logGroupScenario,
  snsTopicScenario,
  s3BucketSslScenario,
  rdsDeletionProtectionScenario,
  dynamoDbDeletionProtectionScenario,
  rdsSnapshotScenario,
  ec2InstanceScenario,
  lambdaEventSourceScenario,
];

/**
 * Enforce-mode policies whose revert the emulator cannot show, with why. The demo prints
 * them; their remediators are tested against mocked clients (docs/testing.md).
 */
export const emulatorGaps: Readonly<Record<string, string>> = {
  'dynamodb-encrypted-kms':
    'moto ignores UpdateTable SSESpecification, so a switch to KMS cannot be observed here (tested against a mocked DynamoDB: test/remediators/dynamodb-enable-kms.test.ts)',
};
