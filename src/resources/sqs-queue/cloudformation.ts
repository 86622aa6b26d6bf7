import {
  ResourceReference,
  type ResolvedResource,
  type ResolvedTemplate,
  type TemplateSubject,
} from '../../cloudformation/resolved';
import {
  knownString,
  physicalName,
  templateSubject,
  TEMPLATE_SCOPE,
} from '../../cloudformation/subjects';
import { queueSnapshot, SQS_QUEUE, type SqsQueueSnapshot } from './index';

function redriveOf(r: ResolvedResource): Record<string, unknown> | undefined {
  const raw = r.properties.RedrivePolicy;
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : undefined;
}

/** Does this RedrivePolicy target the queue (Ref/GetAtt, or a literal ARN ending in its name)? */
function redrivesTo(
  policy: Record<string, unknown> | undefined,
  queue: ResolvedResource,
  name: string,
) {
  const target = policy?.deadLetterTargetArn;
  if (target instanceof ResourceReference) return target.logicalId === queue.logicalId;
  return typeof target === 'string' && target.split(':').pop() === name;
}

/**
 * `AWS::SQS::Queue` `RedrivePolicy`. A queue another queue of the template redrives to is a
 * dead-letter queue; the template cannot show queues elsewhere that use it (see
 * docs/shift-left.md), so those count only through the name or tag conventions.
 */
export function sqsQueuesFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<SqsQueueSnapshot>[] {
  const queues = template.resources.filter((r) => r.type === SQS_QUEUE);
  return queues.map((q) =>
    templateSubject(q, ['RedrivePolicy', 'QueueName', 'FifoQueue'], () => {
      const name = physicalName(q, 'QueueName');
      const fifo = q.properties.FifoQueue === true || q.properties.FifoQueue === 'true';
      const queueName = fifo && !name.endsWith('.fifo') ? `${name}.fifo` : name;
      const policy = redriveOf(q);
      const target = knownString(policy?.deadLetterTargetArn);
      const tags: Record<string, string> = {};
      for (const t of (Array.isArray(q.properties.Tags) ? q.properties.Tags : []) as {
        Key?: unknown;
        Value?: unknown;
      }[]) {
        const key = knownString(t.Key);
        if (key) tags[key] = knownString(t.Value) ?? '';
      }
      const sources = queues
        .filter((other) => other !== q && redrivesTo(redriveOf(other), q, queueName))
        .map((other) => other.logicalId);
      return queueSnapshot(
        TEMPLATE_SCOPE,
        `https://sqs.template.local/${queueName}`,
        {
          ...(target
            ? {
                RedrivePolicy: JSON.stringify({
                  deadLetterTargetArn: target,
                  maxReceiveCount: policy?.maxReceiveCount,
                }),
              }
            : {}),
          ...(fifo ? { FifoQueue: 'true' } : {}),
          KmsMasterKeyId: knownString(q.properties.KmsMasterKeyId),
          SqsManagedSseEnabled: String(q.properties.SqsManagedSseEnabled ?? 'false'),
        },
        { deadLetterSourceQueueUrls: sources, tags },
      );
    }),
  );
}
