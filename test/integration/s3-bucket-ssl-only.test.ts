import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENY_INSECURE_TRANSPORT_SID } from '../../remediators/s3-deny-insecure-transport';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'sa-east-1'; // shared with the Block Public Access test; buckets here start `it-ssl-`
const P = 'it-ssl-';
const arn = (bucket: string) => `arn:aws:s3:::${bucket}`;

const event = (eventName: string, bucketName: string) =>
  cloudTrailEnvelope(
    { eventSource: 's3.amazonaws.com', eventName, requestParameters: { bucketName } },
    { region: REGION },
  );

const reader = (bucket: string) => ({
  Sid: 'Reader',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
  Action: ['s3:GetObject', 's3:ListBucket'],
  Resource: [arn(bucket), `${arn(bucket)}/*`],
});

describe('S3 buckets refuse requests that are not over TLS (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let s3: S3Client;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 's3-bucket-ssl-only' ? {} : { enabled: false },
      ]),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    s3 = new S3Client({ region: REGION });
  });
  afterAll(() => {
    clients.destroy();
    s3.destroy();
  });

  const createBucket = async (name: string, policy?: object) => {
    await s3.send(
      new CreateBucketCommand({
        Bucket: name,
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    if (policy) {
      await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(policy) }));
    }
    return name;
  };
  const policyOf = async (name: string) => {
    try {
      return JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: name }))).Policy!) as {
        Id?: string;
        Statement: Record<string, unknown>[];
      };
    } catch (error) {
      return (error as Error).name;
    }
  };
  const outcomeOf = async (eventName: string, bucket: string) => {
    const result = await rampart.evaluator.handleEvent(event(eventName, bucket));
    return result.status === 'handled' ? result.resources[0]!.outcomes[0] : undefined;
  };

  it('adds the one deny statement, keeping every other statement and the Id; touches no other bucket; then is a no-op', async () => {
    const bucket = await createBucket(`${P}reports`, {
      Version: '2012-10-17',
      Id: 'reports-policy',
      Statement: [reader(`${P}reports`)],
    });
    const bystander = await createBucket(`${P}website`, {
      Version: '2012-10-17',
      Statement: [reader(`${P}website`)],
    });
    const bystanderBefore = await policyOf(bystander);

    expect(await outcomeOf('PutBucketPolicy', bucket)).toMatchObject({
      policyId: 's3-bucket-ssl-only',
      status: 'reverted',
      changes: [`added statement ${DENY_INSECURE_TRANSPORT_SID} to the policy of bucket ${bucket}`],
    });
    expect(await policyOf(bucket)).toEqual({
      Version: '2012-10-17',
      Id: 'reports-policy',
      Statement: [
        reader(bucket),
        {
          Sid: DENY_INSECURE_TRANSPORT_SID,
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn(bucket), `${arn(bucket)}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    expect(await policyOf(bystander)).toEqual(bystanderBefore);

    clients.reset();
    expect((await outcomeOf('PutBucketPolicy', bucket))!.status).toBe('already-compliant');
    expect(clients.writes()).toEqual([]);
  });

  it('a bucket without a policy gets one holding only the deny', async () => {
    const bucket = await createBucket(`${P}no-policy`);
    expect((await outcomeOf('DeleteBucketPolicy', bucket))!.status).toBe('reverted');
    const policy = await policyOf(bucket);
    expect(typeof policy !== 'string' && policy.Statement.map((s) => s.Sid)).toEqual([
      DENY_INSECURE_TRANSPORT_SID,
    ]);
  });

  it('attack: a look-alike deny (one principal only, on a look-alike bucket) is kept and the real deny added', async () => {
    const bucket = await createBucket(`${P}lookalike`);
    const lookAlike = {
      Sid: 'LooksLikeTls',
      Effect: 'Deny',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 's3:*',
      Resource: [arn(bucket), `${arn(bucket)}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [lookAlike] }),
      }),
    );
    expect((await outcomeOf('PutBucketPolicy', bucket))!.status).toBe('reverted');
    const policy = await policyOf(bucket);
    expect(typeof policy !== 'string' && policy.Statement).toEqual([
      lookAlike,
      expect.objectContaining({ Sid: DENY_INSECURE_TRANSPORT_SID, Principal: '*' }),
    ]);
  });

  it('attack: a statement under Rampart’s Sid edited by someone is not fought: refused, nothing written', async () => {
    const edited = {
      Sid: DENY_INSECURE_TRANSPORT_SID,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${arn(`${P}edited`)}/*`,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    const bucket = await createBucket(`${P}edited`, {
      Version: '2012-10-17',
      Statement: [edited],
    });
    clients.reset();
    const outcome = await outcomeOf('PutBucketPolicy', bucket);
    expect(outcome).toMatchObject({
      status: 'failed',
      error: `bucket policy of ${bucket} left as it is: it has a statement ${DENY_INSECURE_TRANSPORT_SID} that was edited`,
    });
    expect(clients.writes()).toEqual([]);
    const policy = await policyOf(bucket);
    expect(typeof policy !== 'string' && policy.Statement).toEqual([edited]);
  });

  it('hostile size: a policy the deny would push past 20 KB is left as it is, with the reason', async () => {
    const bucket = `${P}huge`;
    // Statements up to just under S3's limit: the deny (about 200 bytes) no longer fits.
    const padding: object[] = [];
    const size = () => JSON.stringify({ Version: '2012-10-17', Statement: padding }).length;
    for (let i = 0; i < 200 && size() < 20_480 - 220; i++) {
      padding.push({ ...reader(bucket), Sid: `Reader${String(i).padStart(4, '0')}` });
    }
    await createBucket(bucket, { Version: '2012-10-17', Statement: padding });
    const before = await policyOf(bucket);
    expect(JSON.stringify(before).length).toBeGreaterThan(20_480 - 220);
    expect(JSON.stringify(before).length).toBeLessThanOrEqual(20_480);
    clients.reset();
    expect(await outcomeOf('PutBucketPolicy', bucket)).toMatchObject({
      status: 'failed',
      error: `bucket policy of ${bucket} left as it is: with the statement it would exceed S3's 20480 bytes`,
    });
    expect(clients.writes()).toEqual([]);
    expect(await policyOf(bucket)).toEqual(before);
  });

  it('the sweep finds the buckets that accept plain HTTP, not those that refuse it', async () => {
    await createBucket(`${P}sweep-open`, { Version: '2012-10-17', Statement: [reader('x')] });
    await createBucket(`${P}sweep-tls`, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: '*',
          Resource: `${arn(`${P}sweep-tls`)}*`,
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ],
    });
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    const mine = findings.filter((f) => f.resourceId.startsWith(`${P}sweep-`));
    expect(mine.map((f) => [f.resourceId, f.status])).toEqual([[`${P}sweep-open`, 'violation']]);
  });
});
