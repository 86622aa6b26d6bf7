import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-southeast-5'; // this file's own region in the shared moto server

/** SetQueueAttributes as CloudTrail records it (the AWS SQS developer guide's example). */
const setQueueAttributes = (queueUrl: string, attributes: Record<string, string>) =>
  cloudTrailEnvelope(
    {
      eventSource: 'sqs.amazonaws.com',
      eventName: 'SetQueueAttributes',
      requestParameters: { attributes, queueUrl },
      responseElements: null,
    },
    { region: REGION },
  );

describe('queues are encrypted at rest (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let sqs: SQSClient;
  const catalog = defaultCatalog();
  const only = (id: string) =>
    parseConfig(
      {
        policies: Object.fromEntries(
          [...catalog.policies.keys()].map((p) => [p, p === id ? {} : { enabled: false }]),
        ),
        compliance: { sweep: { regions: [REGION] } },
      },
      catalog,
    );

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    rampart = createRampart({ clients, config: only('sqs-encrypted') });
    sqs = new SQSClient({ region: REGION });
  });
  afterAll(() => {
    clients.destroy();
    sqs.destroy();
  });
  const attributesOf = async (url: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })))
      .Attributes!;
  const queue = async (name: string, attributes: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;

  it('turns SQS-managed encryption back on after it was turned off, touching no other attribute or queue; then is a no-op', async () => {
    const url = await queue('enc-orders', { VisibilityTimeout: '120' });
    const bystander = await queue('enc-bystander', { SqsManagedSseEnabled: 'false' });
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { SqsManagedSseEnabled: 'false' },
      }),
    );
    const before = await attributesOf(url);
    const bystanderBefore = await attributesOf(bystander);

    const result = await rampart.evaluator.handleEvent(
      setQueueAttributes(url, { SqsManagedSseEnabled: 'false' }),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'sqs-encrypted',
      status: 'reverted',
      changes: ['turned on SQS-managed encryption of queue enc-orders'],
    });
    const after = await attributesOf(url);
    expect(after.SqsManagedSseEnabled).toBe('true');
    const unchanged = (attributes: Record<string, string>) => {
      const rest = { ...attributes };
      delete rest.SqsManagedSseEnabled;
      delete rest.LastModifiedTimestamp;
      return rest;
    };
    expect(unchanged(after)).toEqual(unchanged(before));
    expect(await attributesOf(bystander)).toEqual(bystanderBefore);

    clients.reset();
    const again = await rampart.evaluator.handleEvent(
      setQueueAttributes(url, { SqsManagedSseEnabled: 'true' }),
    );
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it("never replaces the owner's KMS key with SQS-managed keys", async () => {
    const url = await queue('enc-kms', { KmsMasterKeyId: 'alias/orders' });
    clients.reset();
    const result = await rampart.evaluator.handleEvent(
      setQueueAttributes(url, { KmsMasterKeyId: 'alias/orders' }),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
    expect((await attributesOf(url)).KmsMasterKeyId).toBe('alias/orders');
  });

  it('the sweep finds an unencrypted queue and only that one', async () => {
    const url = await queue('enc-sweep-off', { SqsManagedSseEnabled: 'false' });
    await queue('enc-sweep-on');
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(
      findings
        .filter((f) => f.policy === 'sqs-encrypted' && f.resourceId.includes('enc-sweep'))
        .map((f) => [f.resourceId, f.status]),
    ).toEqual([[url, 'violation']]);
  });
});
