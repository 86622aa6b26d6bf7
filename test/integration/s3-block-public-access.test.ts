import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';
import { answerCommands } from '../support/sdk-answers';

const REGION = 'sa-east-1'; // this file's own region in the shared moto server
const P = 'it-s3-';

const event = (eventName: string, bucketName: string) =>
  cloudTrailEnvelope(
    { eventSource: 's3.amazonaws.com', eventName, requestParameters: { bucketName } },
    { region: REGION },
  );

describe('S3 buckets block public access (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let s3: S3Client;

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    rampart = createRampart({ clients });
    s3 = new S3Client({ region: REGION });
  });
  afterAll(() => {
    clients.destroy();
    s3.destroy();
  });

  const createBucket = async (name: string) => {
    await s3.send(
      new CreateBucketCommand({
        Bucket: name,
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
    return name;
  };
  const settings = async (name: string) => {
    try {
      return (await s3.send(new GetPublicAccessBlockCommand({ Bucket: name })))
        .PublicAccessBlockConfiguration;
    } catch (error) {
      return (error as Error).name;
    }
  };

  it('turns all four settings on after they were deleted, touching no other bucket; then is a no-op', async () => {
    const bucket = await createBucket(`${P}reports`);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const bystander = await createBucket(`${P}website`);
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bystander,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false },
      }),
    );
    const bystanderBefore = await settings(bystander);

    const result = await rampart.evaluator.handleEvent(
      event('DeleteBucketPublicAccessBlock', bucket),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 's3-bucket-public-access-blocked',
      status: 'reverted',
      changes: [
        `turned on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets of bucket ${bucket}`,
      ],
    });
    expect(await settings(bucket)).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(await settings(bystander)).toEqual(bystanderBefore);

    clients.reset();
    const again = await rampart.evaluator.handleEvent(event('PutBucketPublicAccessBlock', bucket));
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('attack: every read and write names the expected owner, so a same-named bucket of another account is refused by S3', async () => {
    const bucket = await createBucket(`${P}owned`);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const owners: [string, unknown][] = [];
    const record =
      (name: string) =>
      async (
        input: Record<string, unknown>,
        moto: (() => Promise<Record<string, unknown>>) | undefined,
      ) => {
        owners.push([name, input.ExpectedBucketOwner]);
        return moto!();
      };
    answerCommands(clients.get(S3Client, { region: REGION, account: '123456789012' }), {
      GetPublicAccessBlockCommand: record('get'),
      PutPublicAccessBlockCommand: record('put'),
    });
    const result = await rampart.evaluator.handleEvent(
      event('DeleteBucketPublicAccessBlock', bucket),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'reverted',
    );
    expect(new Set(owners.map(([name]) => name))).toEqual(new Set(['get', 'put']));
    expect(owners.every(([, owner]) => owner === '123456789012')).toBe(true);
  });

  it('a bucket that does not exist is not-found', async () => {
    const result = await rampart.evaluator.handleEvent(event('CreateBucket', `${P}never-made`));
    expect(result.status === 'handled' && result.resources[0]!.status).toBe('not-found');
  });

  it('the sweep lists buckets globally and reads each in its own region', async () => {
    const open = await createBucket(`${P}sweep-open`);
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: open,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true },
      }),
    );
    const catalog = defaultCatalog();
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((id) => [
        id,
        id === 's3-bucket-public-access-blocked' ? {} : { enabled: false },
      ]),
    );
    const sweeping = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    const first = await new Sweeper(sweeping).run({ remediate: false });
    const mine = (f: { resourceId: string }) => f.resourceId.startsWith(`${P}sweep-`);
    expect(first.findings.filter(mine).map((f) => [f.resourceId, f.region, f.status])).toEqual([
      [open, REGION, 'violation'],
    ]);

    // An endpoint that does not say each bucket's region in ListBuckets: GetBucketLocation.
    answerCommands(clients.get(S3Client, { region: 'us-east-1', account: '123456789012' }), {
      ListBucketsCommand: async (_input, moto) => {
        const out = (await moto!()) as { Buckets?: Record<string, unknown>[] };
        return {
          ...out,
          Buckets: (out.Buckets ?? []).map(({ BucketRegion, ...b }) => (void BucketRegion, b)),
        };
      },
    });
    const second = await new Sweeper(sweeping).run({ remediate: false });
    expect(second.findings.filter(mine).map((f) => [f.resourceId, f.region])).toEqual([
      [open, REGION],
    ]);
    expect(second.summary.errors).toEqual([]);
  });
});
