import type { AnyResourceType } from '../engine/definitions';
import { cloudTrailAccountType } from './cloudtrail-account';
import { cloudTrailTrailType } from './cloudtrail-trail';
import { dynamoDbTableType } from './dynamodb-table';
import { ec2InstanceType } from './ec2-instance';
import { securityGroupType } from './ec2-security-group';
import { eventBridgeRuleType } from './eventbridge-rule';
import { iamPrincipalType } from './iam-principal';
import { kmsKeyType } from './kms-key';
import { lambdaEventSourceType } from './lambda-event-source';
import { lambdaFunctionType } from './lambda-function';
import { logGroupType } from './log-group';
import { rdsDatabaseType } from './rds-database';
import { rdsSnapshotType } from './rds-snapshot';
import { s3BucketType } from './s3-bucket';
import { snsSubscriptionType } from './sns-subscription';
import { snsTopicType } from './sns-topic';
import { sqsQueueType } from './sqs-queue';

/** Every resource type Rampart can read. A new type is a new folder plus one line here. */
export const resourceTypes: readonly AnyResourceType[] = [
  securityGroupType,
  dynamoDbTableType,
  rdsDatabaseType,
  lambdaFunctionType,
  sqsQueueType,
  snsSubscriptionType,
  eventBridgeRuleType,
  iamPrincipalType,
  s3BucketType,
  cloudTrailTrailType,
  kmsKeyType,
  logGroupType,
  snsTopicType,
  ec2InstanceType,
  rdsSnapshotType,
  lambdaEventSourceType,
  cloudTrailAccountType,
];
