import {
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

// An account-wide check sees every region's multi-region trails: this file works in a member
// account of its own (moto keeps state per account), reached through STS like any member.
const HOME = '123456789012';
const MEMBER = '310987654321';
const REGION = 'eu-south-1';
const OTHER_REGION = 'eu-central-2';
const BUCKET = 'it-account-trails-logs';

describe('the account has a logging multi-region trail with log file validation (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  const catalog = defaultCatalog();
  const ct = (region = REGION) => clients.get(CloudTrailClient, { region, account: MEMBER });

  beforeAll(async () => {
    clients = new RecordingClients({
      maxAttempts: 2,
      crossAccount: { roleName: 'RampartRemediationRole', homeAccount: HOME },
    });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'cloudtrail-multi-region-trail' ? {} : { enabled: false },
      ]),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        {
          policies: only,
          compliance: { sweep: { accounts: [MEMBER], regions: [REGION] } },
        },
        catalog,
      ),
    });
    await clients.get(S3Client, { region: REGION, account: MEMBER }).send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
  });
  afterAll(() => clients.destroy());

  const event = (eventName: string, name: string) =>
    cloudTrailEnvelope(
      { eventSource: 'cloudtrail.amazonaws.com', eventName, requestParameters: { name } },
      { region: REGION, account: MEMBER },
    );
  const verdict = async (eventName: string, name: string) => {
    const result = await rampart.evaluator.handleEvent(event(eventName, name));
    return result.status === 'handled' ? result.resources[0]!.evaluations[0] : result;
  };
  const trail = async (name: string, region: string, multi: boolean, validation: boolean) => {
    await ct(region).send(
      new CreateTrailCommand({
        Name: name,
        S3BucketName: BUCKET,
        IsMultiRegionTrail: multi,
        EnableLogFileValidation: validation,
      }),
    );
    await ct(region).send(new StartLoggingCommand({ Name: name }));
  };

  it('an account with only a single-region trail violates; reading writes nothing', async () => {
    await trail('it-regional', REGION, false, true);
    clients.reset();
    expect(await verdict('CreateTrail', 'it-regional')).toMatchObject({
      policyId: 'cloudtrail-multi-region-trail',
      status: 'violation',
      violation: {
        message: `Account ${MEMBER} is not recorded in every region: it has no multi-region trail.`,
      },
    });
    expect(clients.writes()).toEqual([]);
  });

  it('a multi-region trail homed in another region, logging with validation, covers the account', async () => {
    await trail('it-org-wide', OTHER_REGION, true, true);
    expect(await verdict('CreateTrail', 'it-org-wide')).toMatchObject({ status: 'compliant' });
  });

  it('the intruder stops it, then deletes it: each event is reported as the account losing its record', async () => {
    await ct(OTHER_REGION).send(new StopLoggingCommand({ Name: 'it-org-wide' }));
    expect(await verdict('StopLogging', 'it-org-wide')).toMatchObject({
      status: 'violation',
      violation: {
        message: `Account ${MEMBER} is not recorded in every region: its multi-region trails it-org-wide (not logging) do not cover it.`,
      },
    });
    await ct(OTHER_REGION).send(new DeleteTrailCommand({ Name: 'it-org-wide' }));
    expect(await verdict('DeleteTrail', 'it-org-wide')).toMatchObject({ status: 'violation' });
  });

  it('the sweep judges the account once, whatever the regions', async () => {
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.policy, f.account, f.resourceId])).toEqual([
      ['cloudtrail-multi-region-trail', MEMBER, MEMBER],
    ]);
  });
});
