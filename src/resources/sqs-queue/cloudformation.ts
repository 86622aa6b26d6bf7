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

/**
 * Who redrives to whom, indexed once per template (a lookup per queue, not a scan of every
 * other queue: templates of tens of thousands of queues stay linear). A RedrivePolicy
 * targets a queue by Ref/GetAtt (its logical id) or by a literal ARN ending in its name.
 */
function redriveSources(queues: ResolvedResource[]) {
  const byLogicalId = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, source: string) => {
    const list = map.get(key);
    if (list) list.push(source);
    else map.set(key, [source]);
  };
  for (const q of queues) {
    const target = redriveOf(q)?.deadLetterTargetArn;
    if (target instanceof ResourceReference) add(byLogicalId, target.logicalId, q.logicalId);
    else if (typeof target === 'string') add(byName, target.split(':').pop()!, q.logicalId);
  }
  return (queue: ResolvedResource, name: string): string[] =>
    [...new Set([...(byLogicalId.get(queue.logicalId) ?? []), ...(byName.get(name) ?? [])])].filter(
      (id) => id !== queue.logicalId,
    );
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
  const sourcesOf = redriveSources(queues);
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
      const sources = sourcesOf(q, queueName);
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
          // New queues get SQS-managed encryption unless a template turns it off (AWS default since 2022).
          SqsManagedSseEnabled: String(q.properties.SqsManagedSseEnabled ?? 'true'),
        },
        { deadLetterSourceQueueUrls: sources, tags },
      );
    }),
  );
}
