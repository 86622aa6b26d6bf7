import {
  CreateKeyCommand,
  DisableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-southeast-6'; // this file's own region in the shared moto server

describe('customer KMS keys rotate (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let kms: KMSClient;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'kms-key-rotation-enabled' ? {} : { enabled: false },
      ]),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    kms = new KMSClient({ region: REGION });
  });
  afterAll(() => {
    clients.destroy();
    kms.destroy();
  });
  const createKey = async (spec: 'SYMMETRIC_DEFAULT' | 'RSA_2048' = 'SYMMETRIC_DEFAULT') =>
    (
      await kms.send(
        new CreateKeyCommand({
          KeySpec: spec,
          KeyUsage: spec === 'RSA_2048' ? 'SIGN_VERIFY' : 'ENCRYPT_DECRYPT',
        }),
      )
    ).KeyMetadata!.KeyId!;
  const rotating = async (keyId: string) =>
    (await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled;
  // As CloudTrail records them (KMS API reference members, first letter lowercased).
  const createKeyEvent = (keyId: string) =>
    cloudTrailEnvelope(
      {
        eventSource: 'kms.amazonaws.com',
        eventName: 'CreateKey',
        requestParameters: { keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' },
        responseElements: {
          keyMetadata: {
            keyId,
            arn: `arn:aws:kms:${REGION}:123456789012:key/${keyId}`,
            keyManager: 'CUSTOMER',
          },
        },
      },
      { region: REGION },
    );
  const disableEvent = (keyArn: string) =>
    cloudTrailEnvelope(
      {
        eventSource: 'kms.amazonaws.com',
        eventName: 'DisableKeyRotation',
        requestParameters: { keyId: keyArn },
        responseElements: null,
      },
      { region: REGION },
    );

  it('turns rotation on for a new key, and for no other; then is a no-op', async () => {
    const keyId = await createKey();
    const bystander = await createKey();
    const result = await rampart.evaluator.handleEvent(createKeyEvent(keyId));
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'kms-key-rotation-enabled',
      status: 'reverted',
      changes: [`turned on automatic rotation of key ${keyId}`],
    });
    expect(await rotating(keyId)).toBe(true);
    expect(await rotating(bystander)).toBe(false);

    clients.reset();
    const again = await rampart.evaluator.handleEvent(createKeyEvent(keyId));
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
    // Tidy for the sweep below: only the keys it is about are left without rotation.
    await rampart.evaluator.handleEvent(createKeyEvent(bystander));
  });

  it('DisableKeyRotation naming the key by ARN is reverted; an asymmetric key is not applicable', async () => {
    const keyId = await createKey();
    await rampart.evaluator.handleEvent(createKeyEvent(keyId));
    await kms.send(new DisableKeyRotationCommand({ KeyId: keyId }));
    const result = await rampart.evaluator.handleEvent(
      disableEvent(`arn:aws:kms:${REGION}:123456789012:key/${keyId}`),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'reverted',
    );
    expect(await rotating(keyId)).toBe(true);

    const signing = await createKey('RSA_2048');
    const na = await rampart.evaluator.handleEvent(createKeyEvent(signing));
    expect(na.status === 'handled' && na.resources[0]!.evaluations[0]).toMatchObject({
      status: 'not-applicable',
      reason: 'a RSA_2048 key (only symmetric keys rotate)',
    });
  });

  it('the sweep finds the key without rotation and only that one', async () => {
    const keyId = await createKey();
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[keyId, 'violation']]);
  });
});
