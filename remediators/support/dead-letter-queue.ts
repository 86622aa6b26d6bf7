import { createHash } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../src/aws/clients';
import { DEAD_LETTER_TAG, queueUrlOf } from '../../src/resources/sqs-queue';

/** 14 days, the longest SQS keeps a message: time to notice and replay. */
export const DLQ_RETENTION_SECONDS = '1209600';
const MAX_QUEUE_NAME = 80;

/**
 * A queue by the dead-letter queue's name exists, but Rampart did not create it for this
 * source, and neither did it create the fallback name: nothing is granted, redirected or
 * edited, and the remediation fails with both names.
 */
export class DeadLetterQueueConflictError extends Error {
  override readonly name = 'DeadLetterQueueConflictError';
  constructor(
    message: string,
    readonly queueNames: string[],
    readonly deadLetterFor: string,
  ) {
    super(message);
  }
}

/** Who may send to the queue, written into its policy (only ever on a queue Rampart created). */
export type SendPermission =
  /** A service principal, limited to one source ARN (SNS topic, EventBridge rule). */
  | { service: string; sourceArn: string }
  /** An IAM role of the same account (a Lambda function's execution role). */
  | { roleArn: string };

export interface DeadLetterQueueSpec {
  /** Name without `.fifo`; shortened to fit SQS's 80 characters. */
  baseName: string;
  fifo: boolean;
  /** Without a KMS key the queue uses SQS-managed encryption (SSE-SQS). */
  encryption?: {
    kmsMasterKeyId?: string;
    kmsDataKeyReusePeriodSeconds?: string;
  };
  /** Whose DLQ this is: the source's ARN, the tag value that proves the queue is its own. */
  deadLetterFor: string;
  allowSend?: SendPermission;
}

export interface EnsuredQueue {
  url: string;
  arn: string;
  name: string;
  /** One line per write made (none when the queue and its permission already existed). */
  changes: string[];
}

export function deadLetterQueueName(baseName: string, fifo: boolean): string {
  return withSuffix(baseName, `-dlq${fifo ? '.fifo' : ''}`);
}

/**
 * The fallback name when `<base>-dlq` belongs to someone else: unique to the source, and the
 * same on every run, so a retry finds the queue it created instead of making another.
 */
export function uniqueDeadLetterQueueName(baseName: string, fifo: boolean, source: string): string {
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
  return withSuffix(baseName, `-dlq-${hash}${fifo ? '.fifo' : ''}`);
}

function withSuffix(baseName: string, suffix: string): string {
  return `${baseName.replace(/\.fifo$/, '').slice(0, MAX_QUEUE_NAME - suffix.length)}${suffix}`;
}

/** Stable per grantee: re-running finds its own statement instead of adding another. */
function statementSid(permission: SendPermission): string {
  const who =
    'service' in permission ? `${permission.service}|${permission.sourceArn}` : permission.roleArn;
  const hash = createHash('sha256').update(who).digest('hex').slice(0, 12);
  const kind =
    'service' in permission
      ? permission.service.split('.')[0]!.replace(/[^A-Za-z0-9]/g, '')
      : 'Role';
  return `RampartAllow${kind}${hash}`;
}

function sendStatement(permission: SendPermission, sid: string, queueArn: string) {
  return 'service' in permission
    ? {
        Sid: sid,
        Effect: 'Allow',
        Principal: { Service: permission.service },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': permission.sourceArn } },
      }
    : {
        Sid: sid,
        Effect: 'Allow',
        Principal: { AWS: permission.roleArn },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
      };
}

interface PolicyDocument {
  Version?: string;
  Statement?: { Sid?: string }[];
}

type Scope = { account: string; region: string };

/** True when the queue carries Rampart's tag naming exactly this source. */
async function isOwnedBy(clients: AwsClients, scope: Scope, url: string, source: string) {
  const out = await clients.get(SQSClient, scope).send(new ListQueueTagsCommand({ QueueUrl: url }));
  return out.Tags?.[DEAD_LETTER_TAG] === source;
}

/**
 * Finds the dead-letter queue Rampart created for this source, or creates one, and, when
 * asked, a queue-policy statement letting the source send to it. A queue is reused, and
 * its policy extended, only when it carries Rampart's tag naming this exact source: a
 * look-alike (another team's `payments-dlq` when a function is named `payments`) is never
 * granted on, pointed at or edited; a fresh, uniquely named, encrypted queue is created
 * instead, and the change says so. Only adds: nothing is ever deleted.
 */
export async function ensureDeadLetterQueue(
  clients: AwsClients,
  scope: Scope,
  spec: DeadLetterQueueSpec,
): Promise<EnsuredQueue> {
  const sqs = clients.get(SQSClient, scope);
  const changes: string[] = [];
  const preferred = deadLetterQueueName(spec.baseName, spec.fifo);
  const fallback = uniqueDeadLetterQueueName(spec.baseName, spec.fifo, spec.deadLetterFor);
  let name = preferred;
  let url = await queueUrlOf(clients, scope, preferred);
  if (url && !(await isOwnedBy(clients, scope, url, spec.deadLetterFor))) {
    name = fallback;
    url = await queueUrlOf(clients, scope, fallback);
    if (url && !(await isOwnedBy(clients, scope, url, spec.deadLetterFor))) {
      throw new DeadLetterQueueConflictError(
        `queues ${preferred} and ${fallback} exist but were not created by Rampart for ${spec.deadLetterFor}; nothing was changed`,
        [preferred, fallback],
        spec.deadLetterFor,
      );
    }
    if (!url) {
      changes.push(
        `${preferred} exists and was not created by Rampart for ${spec.deadLetterFor}: left untouched, using ${fallback} instead`,
      );
    }
  }
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
        : { SqsManagedSseEnabled: 'true' }),
    };
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: attributes,
        tags: { [DEAD_LETTER_TAG]: spec.deadLetterFor },
      }),
    );
    url = created.QueueUrl!;
    // CreateQueue answers with an existing queue of the same name and attributes: someone may
    // have created it in between. Only a queue carrying our tag for this source is ours.
    if (!(await isOwnedBy(clients, scope, url, spec.deadLetterFor))) {
      throw new DeadLetterQueueConflictError(
        `queue ${name} appeared while Rampart created it and is not tagged for ${spec.deadLetterFor}; nothing was changed`,
        [name],
        spec.deadLetterFor,
      );
    }
    changes.push(`created dead-letter queue ${name} (encrypted, tagged ${DEAD_LETTER_TAG})`);
  }
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'Policy'] }),
  );
  const arn = attrs.Attributes?.QueueArn ?? `arn:aws:sqs:${scope.region}:${scope.account}:${name}`;
  if (spec.allowSend) {
    const sid = statementSid(spec.allowSend);
    const raw = attrs.Attributes?.Policy;
    const policy: PolicyDocument = raw
      ? (JSON.parse(raw) as PolicyDocument)
      : { Version: '2012-10-17' };
    const statements = policy.Statement ?? [];
    if (!statements.some((s) => s.Sid === sid)) {
      const next = {
        ...policy,
        Version: policy.Version ?? '2012-10-17',
        Statement: [...statements, sendStatement(spec.allowSend, sid, arn)],
      };
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: { Policy: JSON.stringify(next) },
        }),
      );
      const who =
        'service' in spec.allowSend
          ? `${spec.allowSend.service} from ${spec.allowSend.sourceArn}`
          : `role ${spec.allowSend.roleArn}`;
      changes.push(`allowed ${who} to send to ${name} (queue policy)`);
    }
  }
  return { url, arn, name, changes };
}
