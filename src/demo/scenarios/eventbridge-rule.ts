import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { readRule } from '../../resources/eventbridge-rule';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';
import { demoQueue, shortName } from './queues';

const describeRule = (ctx: DemoContext, name: string) => async () =>
  ((await readRule(ctx.clients, ctx, 'default', name))?.targets ?? []).map(
    (t) =>
      `${name}/${t.Id}  ${t.DeadLetterConfig?.Arn ? `DeadLetterConfig → ${shortName(t.DeadLetterConfig.Arn)}` : 'no DeadLetterConfig'}`,
  );

export const eventBridgeRuleScenario: DemoScenario = {
  policyId: 'eventbridge-target-has-dlq',
  story: 'a rule gets a target whose undeliverable events would be dropped',
  async seed(ctx) {
    const events = ctx.clients.get(EventBridgeClient, ctx);
    const work = await demoQueue(ctx, 'demo-nightly-work');
    const parking = await demoQueue(ctx, 'demo-audit-parking-dlq');
    const pattern = JSON.stringify({ source: ['demo.orders'] });
    await events.send(new PutRuleCommand({ Name: 'demo-nightly', EventPattern: pattern }));
    await events.send(new PutRuleCommand({ Name: 'demo-audit', EventPattern: pattern }));
    await events.send(
      new PutTargetsCommand({ Rule: 'demo-nightly', Targets: [{ Id: 'work', Arn: work.arn }] }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'demo-audit',
        Targets: [{ Id: 'audit', Arn: work.arn, DeadLetterConfig: { Arn: parking.arn } }],
      }),
    );
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'events.amazonaws.com',
        eventName: 'PutTargets',
        requestParameters: { rule: 'demo-nightly', targets: [{ id: 'work', arn: work.arn }] },
        responseElements: { failedEntryCount: 0, failedEntries: [] },
      }),
      describe: describeRule(ctx, 'demo-nightly'),
      describeTwin: describeRule(ctx, 'demo-audit'),
    };
  },
};
