import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { readLogGroup } from '../../resources/log-group';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeGroup = (ctx: DemoContext, name: string) => async () => {
  const g = await readLogGroup(ctx.clients, ctx, name);
  if (!g) return [`${name}  (gone)`];
  return [`${name}  ${g.retentionInDays ? `retention ${g.retentionInDays} days` : 'Never expire'}`];
};

export const logGroupScenario: DemoScenario = {
  policyId: 'logs-retention-set',
  story: 'a new service starts logging into a group that keeps everything forever',
  async seed(ctx) {
    const logs = ctx.clients.get(CloudWatchLogsClient, ctx);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/demo/orders-api' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/demo/billing-api' }));
    await logs.send(
      new PutRetentionPolicyCommand({ logGroupName: '/demo/billing-api', retentionInDays: 30 }),
    );
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'logs.amazonaws.com',
        eventName: 'CreateLogGroup',
        requestParameters: { logGroupName: '/demo/orders-api' },
        responseElements: null,
      }),
      describe: describeGroup(ctx, '/demo/orders-api'),
      describeTwin: describeGroup(ctx, '/demo/billing-api'),
    };
  },
};
