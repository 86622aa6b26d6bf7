import { EventBridgeClient, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SQS_QUEUE_SCOPE } from '../src/resources/sqs-queue/scope';
import { defineRemediator } from '../src/engine/definitions';
import {
  EVENTBRIDGE_RULE,
  readRule,
  type EventBridgeRuleSnapshot,
} from '../src/resources/eventbridge-rule';
import { ensureDeadLetterQueue } from './support/dead-letter-queue';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

const summary = (rule: EventBridgeRuleSnapshot | undefined) =>
  rule?.targets.map((t) => ({ id: t.Id, deadLetterArn: t.DeadLetterConfig?.Arn }));

/**
 * Gives each offending target a DLQ: one `<rule>-dlq` per rule, whose policy lets
 * EventBridge send from that rule, then PutTargets with the same target plus DeadLetterConfig
 * (every other field of the target, and every other target, is left as it was).
 */
export const eventbridgeTargetAddDlq = defineRemediator<EventBridgeRuleSnapshot>({
  id: 'eventbridge-target-add-dlq',
  description:
    'Ensures <rule>-dlq with a queue policy for the rule and re-puts the targets with DeadLetterConfig.',
  resourceType: EVENTBRIDGE_RULE,
  iamActions: {
    read: [
      'events:DescribeRule',
      'events:ListTargetsByRule',
      'sqs:GetQueueUrl',
      'sqs:GetQueueAttributes',
      'sqs:ListQueueTags',
    ],
    write: ['sqs:CreateQueue', 'sqs:TagQueue', 'sqs:SetQueueAttributes', 'events:PutTargets'],
  },
  // The dead-letter queue it creates and tags.
  alsoWrites: [SQS_QUEUE_SCOPE],
  // CreateQueue with tags needs sqs:TagQueue as well (tag-on-create).
  impliedActions: { 'sqs:TagQueue': 'sqs:CreateQueue with tags (the queue is tagged on creation)' },
  remediate: ({ clients, snapshot, violation }) =>
    guarded(summary(snapshot), async (changes) => {
      const current = await readRule(
        clients,
        snapshot.ref,
        snapshot.eventBusName,
        snapshot.ruleName,
      );
      if (!current) {
        return resourceGone(changes, `rule ${snapshot.ref.id}`);
      }
      const wanted = new Set(violation.elements.map((e) => e.id));
      const targets = current.targets.filter((t) => wanted.has(t.Id) && !t.DeadLetterConfig?.Arn);
      const before = summary(current);
      if (targets.length === 0)
        return { status: 'already-compliant', changes, before, after: before };
      const dlq = await ensureDeadLetterQueue(clients, snapshot.ref, {
        baseName: current.ruleName,
        fifo: false, // EventBridge dead-letter queues must be standard queues
        deadLetterFor: current.ruleArn,
        allowSend: { service: 'events.amazonaws.com', sourceArn: current.ruleArn },
      });
      changes.push(...dlq.changes);
      const out = await clients.get(EventBridgeClient, snapshot.ref).send(
        new PutTargetsCommand({
          Rule: current.ruleName,
          EventBusName: current.eventBusName,
          Targets: targets.map((t) => ({ ...t, DeadLetterConfig: { Arn: dlq.arn } })),
        }),
      );
      if (out.FailedEntryCount) {
        const failed = (out.FailedEntries ?? []).map(
          (f) => `${f.TargetId}: ${f.ErrorCode} ${f.ErrorMessage}`,
        );
        return {
          status: 'failed',
          changes,
          before,
          after: before,
          error: `PutTargets refused ${failed.join('; ')}`,
        };
      }
      changes.push(...targets.map((t) => `set DeadLetterConfig of target ${t.Id} to ${dlq.name}`));
      const after = await readRule(clients, snapshot.ref, snapshot.eventBusName, snapshot.ruleName);
      const missing = (after?.targets ?? []).filter(
        (t) => wanted.has(t.Id) && t.DeadLetterConfig?.Arn !== dlq.arn,
      );
      if (!after || missing.length > 0) {
        return verificationFailed(
          changes,
          before,
          summary(after),
          `targets ${missing.map((t) => t.Id).join(', ')} have no DeadLetterConfig`,
        );
      }
      return { status: 'reverted', changes, before, after: summary(after) };
    }),
});
