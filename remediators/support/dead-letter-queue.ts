import { createHash } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../src/aws/clients';
import { DEAD_LETTER_TAG, queueUrlOf } from '../../src/resources/sqs-queue';

/** 14 days, the longest SQS keeps a message: time to notice and replay. */
export const DLQ_RETENTION_SECONDS = '1209600';
const MAX_QUEUE_NAME = 80;

export interface DeadLetterQueueSpec {
  /** Name without `.fifo`; shortened to fit SQS's 80 characters. */
  baseName: string;
  fifo: boolean;
  encryption?: {
    kmsMasterKeyId?: string;
    kmsDataKeyReusePeriodSeconds?: string;
    sqsManagedSse?: boolean;
  };
  /** Whose DLQ this is (the tag value). */
  deadLetterFor: string;
  /** A service principal that must be allowed to send, limited to one source ARN. */
  allowSend?: { service: string; sourceArn: string };
}

export interface EnsuredQueue {
  url: string;
  arn: string;
  name: string;
  /** One line per write made (none when the queue and its permission already existed). */
  changes: string[];
}

export function deadLetterQueueName(baseName: string, fifo: boolean): string {
  const suffix = `-dlq${fifo ? '.fifo' : ''}`;
  return `${baseName.replace(/\.fifo$/, '').slice(0, MAX_QUEUE_NAME - suffix.length)}${suffix}`;
}

/** Stable per source: re-running finds its own statement instead of adding another. */
function statementSid(service: string, sourceArn: string): string {
  const hash = createHash('sha256').update(`${service}|${sourceArn}`).digest('hex').slice(0, 12);
  return `RampartAllow${service.split('.')[0]!.replace(/[^A-Za-z0-9]/g, '')}${hash}`;
}

interface PolicyDocument {
  Version?: string;
  Statement?: { Sid?: string }[];
}

/**
 * Finds or creates a dead-letter queue and, when asked, a queue-policy statement letting a
 * service send to it from one source. Only adds: an existing queue keeps its attributes and
 * every statement of its policy; nothing is ever deleted.
 */
export async function ensureDeadLetterQueue(
  clients: AwsClients,
  scope: { account: string; region: string },
  spec: DeadLetterQueueSpec,
): Promise<EnsuredQueue> {
  const sqs = clients.get(SQSClient, scope);
  const name = deadLetterQueueName(spec.baseName, spec.fifo);
  const changes: string[] = [];
  let url = await queueUrlOf(clients, scope, name);
  if (!url) {
    const attributes: Partial<Record<QueueAttributeName, string>> = {
      MessageRetentionPeriod: DLQ_RETENTION_SECONDS,
      ...(spec.fifo ? { FifoQueue: 'true' } : {}),
      ...(spec.encryption?.kmsMasterKeyId
        ? {
            KmsMasterKeyId: spec.encryption.kmsMasterKeyId,
            ...(spec.encryption.kmsDataKeyReusePeriodSeconds
              ? { KmsDataKeyReusePeriodSeconds: spec.encryption.kmsDataKeyReusePeriodSeconds }
              : {}),
          }
        : spec.encryption?.sqsManagedSse
          ? { SqsManagedSseEnabled: 'true' }
          : {}),
    };
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: attributes,
        tags: { [DEAD_LETTER_TAG]: spec.deadLetterFor },
      }),
    );
    url = created.QueueUrl!;
    changes.push(`created dead-letter queue ${name}`);
  }
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'Policy'] }),
  );
  const arn = attrs.Attributes?.QueueArn ?? `arn:aws:sqs:${scope.region}:${scope.account}:${name}`;
  if (spec.allowSend) {
    const sid = statementSid(spec.allowSend.service, spec.allowSend.sourceArn);
    const raw = attrs.Attributes?.Policy;
    const policy: PolicyDocument = raw
      ? (JSON.parse(raw) as PolicyDocument)
      : { Version: '2012-10-17' };
    const statements = policy.Statement ?? [];
    if (!statements.some((s) => s.Sid === sid)) {
      const next = {
        ...policy,
        Version: policy.Version ?? '2012-10-17',
        Statement: [
          ...statements,
          {
            Sid: sid,
            Effect: 'Allow',
            Principal: { Service: spec.allowSend.service },
            Action: 'sqs:SendMessage',
            Resource: arn,
            Condition: { ArnEquals: { 'aws:SourceArn': spec.allowSend.sourceArn } },
          },
        ],
      };
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: { Policy: JSON.stringify(next) },
        }),
      );
      changes.push(
        `allowed ${spec.allowSend.service} to send to ${name} from ${spec.allowSend.sourceArn}`,
      );
    }
  }
  return { url, arn, name, changes };
}
