import { randomUUID } from 'node:crypto';
import type { DemoContext } from './scenario';

/**
 * The EventBridge envelope CloudTrail would deliver for a change made a moment ago by a
 * developer through the console (field names and nesting as in real records).
 */
export function cloudTrailEvent(
  ctx: DemoContext,
  detail: { eventSource: string; eventName: string } & Record<string, unknown>,
) {
  const eventTime = new Date().toISOString();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${detail.eventSource.split('.')[0]}`,
    account: ctx.account,
    time: eventTime,
    region: ctx.region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROADEMODEVELOPER:alice@example.com',
        arn: `arn:aws:sts::${ctx.account}:assumed-role/Developer/alice@example.com`,
        accountId: ctx.account,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            arn: `arn:aws:iam::${ctx.account}:role/Developer`,
            accountId: ctx.account,
            userName: 'Developer',
          },
        },
      },
      eventTime,
      awsRegion: ctx.region,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'console.amazonaws.com',
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ctx.account,
      eventCategory: 'Management',
      ...detail,
    },
  };
}
