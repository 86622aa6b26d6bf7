import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { ReportContext, Reporter } from '../../src/engine/evaluator';
import { STATE_TABLE } from '../../src/reliability/wiring';

/** The state table the stack would create (STATE_TABLE's key), on demand. */
export async function createStateTable(client: DynamoDBClient, name: string): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: STATE_TABLE.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: STATE_TABLE.partitionKey, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return name;
}

/** One SQS record per body, as the Lambda event source mapping delivers them. */
export function sqsRecord(
  body: string,
  receiveCount = 1,
  messageId: string = randomUUID(),
): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:rampart-events',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** Enough of a Lambda context for Powertools (in-progress records expire with it). */
export function lambdaContext(remainingMs: number): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'rampart-evaluator',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:rampart-evaluator',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/rampart-evaluator',
    logStreamName: 'local',
    // Never 0: Powertools treats 0 as "unknown" and then sets no in-progress expiry.
    getRemainingTimeInMillis: () => Math.max(1, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A reporter that records every notice it is given (one call = one notice). */
export function recordingReporter(): Reporter & { notices: ReportContext[] } {
  const notices: ReportContext[] = [];
  return {
    name: 'recording',
    notices,
    async report(context) {
      notices.push(context);
    },
  };
}
