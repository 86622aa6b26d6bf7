import {
  CloudTrailClient,
  CreateTrailCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { ACCOUNT, cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-southeast-5'; // shared with sqs-encrypted: no trail elsewhere in it
const BUCKET = 'it-cloudtrail-logs-ap-southeast-5';

/** StopLogging as CloudTrail records it: the trail named by its ARN (API reference). */
const trailEvent = (eventName: string, name: string, region = REGION) =>
  cloudTrailEnvelope(
    {
      eventSource: 'cloudtrail.amazonaws.com',
      eventName,
      requestParameters: { name },
      responseElements: null,
    },
    { region },
  );

describe('CloudTrail trails keep logging (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let ct: CloudTrailClient;
  const catalog = defaultCatalog();

  beforeAll(async () => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'cloudtrail-logging-on' ? {} : { enabled: false },
      ]),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    ct = new CloudTrailClient({ region: REGION });
    const s3 = new S3Client({ region: REGION });
    await s3.send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
    s3.destroy();
  });
  afterAll(() => {
    clients.destroy();
    ct.destroy();
  });

  const trail = async (name: string, validation: boolean, logging: boolean) => {
    const out = await ct.send(
      new CreateTrailCommand({
        Name: name,
        S3BucketName: BUCKET,
        IsMultiRegionTrail: true,
        EnableLogFileValidation: validation,
      }),
    );
    if (logging) await ct.send(new StartLoggingCommand({ Name: name }));
    return out.TrailARN!;
  };
  const logging = async (name: string) =>
    (await ct.send(new GetTrailStatusCommand({ Name: name }))).IsLogging;

  it('restarts a stopped trail within the event, touching no other trail; then is a no-op', async () => {
    const arn = await trail('it-org-audit', true, true);
    await trail('it-bystander', true, false);
    await ct.send(new StopLoggingCommand({ Name: 'it-org-audit' }));
    const result = await rampart.evaluator.handleEvent(trailEvent('StopLogging', arn));
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'cloudtrail-logging-on',
      status: 'reverted',
      changes: ['restarted logging of trail it-org-audit'],
    });
    expect(await logging('it-org-audit')).toBe(true);
    expect(await logging('it-bystander')).toBe(false);

    clients.reset();
    // The same event delivered again (EventBridge is at-least-once).
    const again = await rampart.evaluator.handleEvent(trailEvent('StopLogging', arn));
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('turns log file validation on for a new trail, changing nothing else of it', async () => {
    const arn = await trail('it-no-validation', false, true);
    const before = (await ct.send(new GetTrailCommand({ Name: arn }))).Trail!;
    const result = await rampart.evaluator.handleEvent(
      trailEvent('CreateTrail', 'it-no-validation'),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      status: 'reverted',
      changes: ['turned on log file validation of trail it-no-validation'],
    });
    const after = (await ct.send(new GetTrailCommand({ Name: arn }))).Trail!;
    expect(after).toEqual({ ...before, LogFileValidationEnabled: true });
  });

  it('an event from another region naming the trail by ARN is acted on in the trail home region', async () => {
    const arn = await trail('it-home-region', true, false);
    const result = await rampart.evaluator.handleEvent(trailEvent('StopLogging', arn, 'us-east-1'));
    expect(result.status === 'handled' && result.resources[0]).toMatchObject({
      resource: { region: REGION, id: 'it-home-region' },
      outcomes: [{ status: 'reverted' }],
    });
    expect(await logging('it-home-region')).toBe(true);
    expect(arn).toBe(`arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/it-home-region`);
  });

  it('the sweep finds the stopped trail', async () => {
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([['it-bystander', 'violation']]);
  });
});
