import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import type { CloudTrailRecord } from '../../src/events/cloudtrail';
import { MalformedEventError } from '../../src/events/errors';
import { REPO_ROOT, SAMPLES_DIR } from '../support/samples';

const where = { account: '111122223333', region: 'eu-central-1' };
const catalog = defaultCatalog();

function recordOf(path: string): CloudTrailRecord {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const record = json.Records ? json.Records[0] : (json.detail ?? json);
  return record as CloudTrailRecord;
}
const synthetic = (name: string) =>
  recordOf(join(REPO_ROOT, 'test/fixtures/events', `synthetic__${name}.json`));
const sample = (name: string) => recordOf(join(SAMPLES_DIR, name));

function locate(record: CloudTrailRecord) {
  const type = catalog
    .typesForSource(record.eventSource)
    .find((t) => t.cloudTrail[record.eventName])!;
  return type.cloudTrail[record.eventName]!(record, where).map((l) => l.id ?? `name:${l.name}`);
}

describe('CloudTrail locators of the policy pack', () => {
  it('DynamoDB: request tableName, else the response (documented UpdateTable), else restore targets', () => {
    expect(locate(sample('awsdocs-dynamodb__UpdateTable__1.json'))).toEqual(['Music']);
    expect(locate(synthetic('CreateTable-SSE'))).toEqual(['orders']);
    expect(locate(synthetic('RestoreTableFromBackup'))).toEqual(['orders-restored']);
    expect(locate(synthetic('RestoreTableToPointInTime'))).toEqual(['orders-pitr']);
  });

  it('RDS: instances and clusters, by the identifier the call creates', () => {
    expect(locate(sample('custodian__CreateDBInstance__1.json'))).toEqual(['db:onenessdb']);
    expect(locate(synthetic('RestoreDBInstanceToPointInTime'))).toEqual(['db:orders-pitr']);
    expect(locate(synthetic('CreateDBCluster'))).toEqual(['cluster:ledger']);
    expect(locate(synthetic('RestoreDBClusterToPointInTime'))).toEqual(['cluster:ledger-pitr']);
  });

  it('Lambda: a full ARN in functionName becomes the name', () => {
    expect(locate(sample('stratus__UpdateFunctionConfiguration20150331v2__1.json'))).toEqual([
      'stratus-red-team-lambda-layer-simpleLambda',
    ]);
    expect(locate(synthetic('DeleteFunctionEventInvokeConfig'))).toEqual(['resize-images']);
  });

  it('SQS: by name, from the request or the last segment of any queue URL', () => {
    expect(locate(sample('awsdocs-sqs__CreateQueue__1.json'))).toEqual(['name:MyQueue']);
    expect(locate(sample('awsdocs-sqs__SetQueueAttributes__1.json'))).toEqual(['name:MyQueue']);
  });

  it('SNS: the subscription ARN; an unconfirmed subscription locates nothing', () => {
    expect(locate(synthetic('Subscribe'))).toEqual([
      'arn:aws:sns:eu-central-1:111122223333:order-events:6f1d3a52-8c0e-4b7a-9d2f-3e4a5b6c7d8e',
    ]);
    expect(locate(synthetic('Subscribe-PendingConfirmation'))).toEqual([]);
    // ...it becomes one when the endpoint confirms.
    expect(locate(synthetic('ConfirmSubscription'))).toEqual([
      'arn:aws:sns:eu-central-1:111122223333:order-events:0b7c2e15-4d3a-4f8e-9a61-5c2d7e8f9a10',
    ]);
  });

  it('attack: a topic, key or trail named by an ARN of another account is located there, never as a same-named resource of the event account', () => {
    const scopeOf = (record: CloudTrailRecord) => {
      const type = catalog
        .typesForSource(record.eventSource)
        .find((t) => t.cloudTrail[record.eventName])!;
      return type.cloudTrail[record.eventName]!(record, where).map((l) => [
        l.account,
        l.region,
        l.id ?? l.name,
      ]);
    };
    const foreign = (name: string, field: string, value: string) => {
      const record = synthetic(name);
      return { ...record, requestParameters: { ...record.requestParameters, [field]: value } };
    };
    expect(
      scopeOf(
        foreign(
          'SetTopicAttributes',
          'topicArn',
          'arn:aws:sns:us-west-2:999999999999:order-events',
        ),
      ),
    ).toEqual([['999999999999', 'us-west-2', 'order-events']]);
    expect(
      scopeOf(
        foreign(
          'DisableKeyRotation',
          'keyId',
          'arn:aws:kms:us-west-2:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        ),
      ),
    ).toEqual([['999999999999', 'us-west-2', '1234abcd-12ab-34cd-56ef-1234567890ab']]);
    expect(
      scopeOf(
        foreign('StopLogging', 'name', 'arn:aws:cloudtrail:us-west-2:999999999999:trail/org-audit'),
      ),
    ).toEqual([['999999999999', 'us-west-2', 'org-audit']]);
    // A plain name stays in the event's own account and region.
    expect(scopeOf(synthetic('CreateLogGroup'))).toEqual([
      ['111122223333', 'eu-central-1', '/aws/lambda/orders-api'],
    ]);
  });

  it('S3: the bucket named in the request (the real CreateBucket sample)', () => {
    expect(locate(sample('custodian__CreateBucket-EventBridgeEnvelope__1.json'))).toEqual([
      'cwe-test',
    ]);
  });

  it('EventBridge: name on the default bus, bus/name on a bus named by ARN', () => {
    expect(locate(synthetic('PutTargets'))).toEqual(['nightly-export']);
    expect(locate(synthetic('PutTargets-CustomBusArn'))).toEqual(['orders/order-created']);
    expect(locate(sample('awsdocs-eventbridge__PutRule__1.json'))).toHaveLength(1);
  });

  it('IAM: principals by kind and name; a policy version by the policy ARN', () => {
    expect(locate(sample('stratus__AttachRolePolicy__1.json'))).toEqual([
      'role/stratus-red-team-malicious-iam-role',
    ]);
    expect(locate(synthetic('AttachGroupPolicy'))).toEqual(['group/operators']);
    expect(locate(synthetic('CreatePolicyVersion'))).toEqual([
      'policy/arn:aws:iam::111122223333:policy/deploy',
    ]);
  });

  it('names the missing field when a record cannot locate its resource', () => {
    const record = { ...synthetic('PutTargets'), requestParameters: {} } as CloudTrailRecord;
    expect(() => locate(record)).toThrow(MalformedEventError);
    expect(() => locate(record)).toThrow(/detail.requestParameters.rule is missing/);
    const table = {
      ...synthetic('CreateTable-SSE'),
      requestParameters: {},
      responseElements: null,
    } as CloudTrailRecord;
    expect(() => locate(table)).toThrow(
      /detail.requestParameters.tableName is missing \(and so is detail.responseElements.tableDescription.tableName\)/,
    );
  });
});
