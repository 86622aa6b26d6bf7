import { createHash } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-southeast-2'; // this file's own region in the shared moto server

describe('queues without a dead-letter queue get one (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let sqs: SQSClient;

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    // The dead-letter queue is what is tested: the queues' encryption policy stays out.
    rampart = createRampart({
      clients,
      config: parseConfig({ policies: { 'sqs-encrypted': { enabled: false } } }, defaultCatalog()),
    });
    sqs = new SQSClient({ region: REGION });
  });
  afterAll(() => {
    rampart.clients.destroy();
    sqs.destroy();
  });

  const createQueueEvent = (name: string, url: string) =>
    cloudTrailEnvelope(
      {
        eventSource: 'sqs.amazonaws.com',
        eventName: 'CreateQueue',
        requestParameters: { queueName: name },
        responseElements: { queueUrl: url },
      },
      { region: REGION },
    );

  async function allQueues() {
    const urls = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
    const out: Record<string, unknown> = {};
    for (const url of urls.sort()) {
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
      );
      out[url] = attrs.Attributes;
    }
    return out;
  }

  it('creates <name>-dlq.fifo with the same encryption and sets RedrivePolicy, touching nothing else; then is a no-op', async () => {
    const bystander = await sqs.send(new CreateQueueCommand({ QueueName: 'bystander' }));
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'orders.fifo',
        Attributes: {
          FifoQueue: 'true',
          KmsMasterKeyId: 'alias/orders',
          KmsDataKeyReusePeriodSeconds: '600',
        },
      }),
    );
    const bystanderBefore = (await allQueues())[bystander.QueueUrl!];

    const result = await rampart.evaluator.handleEvent(
      createQueueEvent('orders.fifo', created.QueueUrl!),
    );
    expect(result.status).toBe('handled');
    if (result.status !== 'handled') return;
    const outcome = result.resources[0]!.outcomes[0]!;
    expect(outcome).toMatchObject({ policyId: 'sqs-has-dlq', status: 'reverted' });
    expect(outcome.changes).toEqual([
      'created dead-letter queue orders-dlq.fifo (encrypted, tagged rampart:dead-letter-queue)',
      expect.stringMatching(
        /^set RedrivePolicy of orders.fifo to orders-dlq.fifo \(maxReceiveCount 5\)$/,
      ),
    ]);

    const queues = await allQueues();
    const dlqUrl = Object.keys(queues).find((u) => u.endsWith('/orders-dlq.fifo'))!;
    const dlq = queues[dlqUrl] as Record<string, string>;
    expect(dlq).toMatchObject({
      FifoQueue: 'true',
      KmsMasterKeyId: 'alias/orders',
      KmsDataKeyReusePeriodSeconds: '600',
      MessageRetentionPeriod: '1209600',
    });
    const tags = await sqs.send(new ListQueueTagsCommand({ QueueUrl: dlqUrl }));
    expect(tags.Tags?.['rampart:dead-letter-queue']).toBe(
      (queues[created.QueueUrl!] as Record<string, string>).QueueArn,
    );
    expect(
      JSON.parse((queues[created.QueueUrl!] as Record<string, string>).RedrivePolicy!),
    ).toEqual({
      deadLetterTargetArn: dlq.QueueArn,
      maxReceiveCount: 5,
    });
    expect(queues[bystander.QueueUrl!]).toEqual(bystanderBefore);
    expect(Object.keys(queues)).toHaveLength(3);

    // Same event again, and the new DLQ's own CreateQueue: read-only, nothing written.
    clients.reset();
    const again = await rampart.evaluator.handleEvent(
      createQueueEvent('orders.fifo', created.QueueUrl!),
    );
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    const dlqEvent = await rampart.evaluator.handleEvent(
      createQueueEvent('orders-dlq.fifo', dlqUrl),
    );
    // The new queue is itself a dead-letter queue: the policy does not concern it.
    expect(dlqEvent.status === 'handled' && dlqEvent.resources[0]).toMatchObject({
      evaluations: [{ status: 'not-applicable' }],
      outcomes: [],
    });
    expect(clients.calls.length).toBeGreaterThan(0);
    expect(clients.writes()).toEqual([]);
    expect(await allQueues()).toEqual(queues);
  });

  it('attack: a queue named after another team’s DLQ never touches that DLQ; a fresh unique one is made', async () => {
    // The payments team's own DLQ, with its policy, tags and a redrive of its own.
    const theirs = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'payments-dlq',
        Attributes: {
          VisibilityTimeout: '5',
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'PaymentsOnly',
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::123456789012:role/payments' },
                Action: 'sqs:SendMessage',
                Resource: 'arn:aws:sqs:ap-southeast-2:123456789012:payments-dlq',
              },
            ],
          }),
        },
        tags: { team: 'payments' },
      }),
    );
    const theirsBefore = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: theirs.QueueUrl!, AttributeNames: ['All'] }),
    );
    const theirTagsBefore = await sqs.send(
      new ListQueueTagsCommand({ QueueUrl: theirs.QueueUrl! }),
    );
    // Mallory's queue, named so that "<name>-dlq" is the payments team's queue.
    const mallory = await sqs.send(new CreateQueueCommand({ QueueName: 'payments' }));
    const malloryArn = 'arn:aws:sqs:ap-southeast-2:123456789012:payments';
    const fresh = `payments-dlq-${createHash('sha256').update(malloryArn).digest('hex').slice(0, 10)}`;

    const result = await rampart.evaluator.handleEvent(
      createQueueEvent('payments', mallory.QueueUrl!),
    );
    const outcome = result.status === 'handled' ? result.resources[0]!.outcomes[0]! : undefined;
    expect(outcome?.status).toBe('reverted');
    expect(outcome?.changes).toEqual([
      `payments-dlq exists and was not created by Rampart for ${malloryArn}: left untouched, using ${fresh} instead`,
      `created dead-letter queue ${fresh} (encrypted, tagged rampart:dead-letter-queue)`,
      `set RedrivePolicy of payments to ${fresh} (maxReceiveCount 5)`,
    ]);
    // The other team's queue: attributes (policy, redrive, everything) and tags unchanged.
    expect(
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: theirs.QueueUrl!, AttributeNames: ['All'] }),
      ),
    ).toMatchObject({ Attributes: theirsBefore.Attributes });
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: theirs.QueueUrl! }))).Tags).toEqual(
      theirTagsBefore.Tags,
    );
    // Mallory's redrive points at the fresh queue, which is encrypted and tagged for her queue.
    const queues = await allQueues();
    const freshUrl = Object.keys(queues).find((u) => u.endsWith(`/${fresh}`))!;
    expect(queues[freshUrl]).toMatchObject({ SqsManagedSseEnabled: 'true' });
    expect(
      JSON.parse((queues[mallory.QueueUrl!] as Record<string, string>).RedrivePolicy!)
        .deadLetterTargetArn,
    ).toBe((queues[freshUrl] as Record<string, string>).QueueArn);
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: freshUrl }))).Tags).toEqual({
      'rampart:dead-letter-queue': malloryArn,
    });
  });

  it('reuses a <name>-dlq that Rampart created for the same queue, without changing it', async () => {
    const source = await sqs.send(new CreateQueueCommand({ QueueName: 'ledger' }));
    const ledgerArn = 'arn:aws:sqs:ap-southeast-2:123456789012:ledger';
    const existing = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'ledger-dlq',
        Attributes: { VisibilityTimeout: '5' },
        tags: { 'rampart:dead-letter-queue': ledgerArn },
      }),
    );
    const result = await rampart.evaluator.handleEvent(
      createQueueEvent('ledger', source.QueueUrl!),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.changes).toEqual([
      'set RedrivePolicy of ledger to ledger-dlq (maxReceiveCount 5)',
    ]);
    const dlq = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: existing.QueueUrl!, AttributeNames: ['All'] }),
    );
    expect(dlq.Attributes).toMatchObject({
      VisibilityTimeout: '5',
      MessageRetentionPeriod: '345600',
    });
  });
});
