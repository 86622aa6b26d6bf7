import {
  CreateKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { readKey } from '../../resources/kms-key';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeKey = (ctx: DemoContext, keyId: string, label: string) => async () => {
  const key = await readKey(ctx.clients, ctx, keyId);
  return [`${label}  automatic rotation ${key?.rotationEnabled ? 'on' : 'OFF'}`];
};

export const kmsKeyScenario: DemoScenario = {
  policyId: 'kms-key-rotation-enabled',
  story: 'someone turns off the yearly rotation of the payments data key',
  async seed(ctx) {
    const kms = ctx.clients.get(KMSClient, ctx);
    const create = async (description: string) => {
      const id = (await kms.send(new CreateKeyCommand({ Description: description }))).KeyMetadata!
        .KeyId!;
      await kms.send(new EnableKeyRotationCommand({ KeyId: id }));
      return id;
    };
    const payments = await create('demo payments data key');
    const reports = await create('demo reports data key');
    await kms.send(new DisableKeyRotationCommand({ KeyId: payments }));
    const arn = `arn:aws:kms:${ctx.region}:${ctx.account}:key/${payments}`;
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'kms.amazonaws.com',
        eventName: 'DisableKeyRotation',
        requestParameters: { keyId: arn },
        responseElements: null,
      }),
      describe: describeKey(ctx, payments, 'payments data key'),
      describeTwin: describeKey(ctx, reports, 'reports data key'),
    };
  },
};
