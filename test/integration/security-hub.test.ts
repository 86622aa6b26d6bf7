import { EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import {
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Evaluator } from '../../src/engine/evaluator';
import { ExceptionStore } from '../../src/exceptions/store';
import { ensureHistoryTable } from '../../src/history/store';
import { ensureExceptionsTable } from '../../src/exceptions/table';
import { startFaultProxy, type FaultProxy } from '../../src/local/fault-proxy';
import { findingIdOf } from '../../src/reporters/asff';
import { SecurityHubReporter } from '../../src/reporters/security-hub';
import { Sweeper } from '../../src/sweep/sweep';
import { ACCOUNT, authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, seedSecurityGroup } from '../support/ec2';
import { RecordingClients } from '../support/recording-clients';
import { answerCommands } from '../support/sdk-answers';

const REGION = 'eu-west-2'; // this file's own region in the shared moto server
const DAY = 24 * 3600 * 1000;
const catalog = defaultCatalog();

/**
 * moto has no BatchUpdateFindings (404): its answer is the documented shape, and every
 * request is kept, so the test reads the workflow Rampart asked for there and everything
 * else (compliance, record state, description) back from moto with GetFindings.
 */
function recordWorkflowUpdates(clients: RecordingClients) {
  const updates: { ids: string[]; status: string }[] = [];
  const hub = clients.get(SecurityHubClient, { account: ACCOUNT, region: REGION });
  answerCommands(hub, {
    BatchUpdateFindingsCommand: (input) => {
      const ids = (input.FindingIdentifiers as { Id: string }[]).map((f) => f.Id);
      updates.push({ ids, status: (input.Workflow as { Status: string }).Status });
      return {
        ProcessedFindings: input.FindingIdentifiers as unknown[],
        UnprocessedFindings: [],
      };
    },
  });
  return updates;
}

/** moto's GetFindings ignores its filters: every finding is read, and matched here by Id. */
async function findingsWithId(hub: SecurityHubClient, id: string): Promise<AwsSecurityFinding[]> {
  const found: AwsSecurityFinding[] = [];
  let token: string | undefined;
  for (let page = 0; page < 50; page++) {
    const out = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
    found.push(...(out.Findings ?? []).filter((f) => f.Id === id));
    token = out.NextToken;
    if (!token) break;
  }
  return found;
}

describe('Security Hub findings follow what Rampart did (moto)', () => {
  let ec2: EC2Client;
  let hub: SecurityHubClient;
  let clients: RecordingClients;
  let updates: { ids: string[]; status: string }[];
  const audit: AuditRecord[] = [];

  const auditLog = () => {
    const log = new AuditLog(createLogger({ stream: new PassThrough() }));
    log.subscribe((r) => audit.push(r));
    return log;
  };
  const findingsOf = (id: string) => findingsWithId(hub, id);
  beforeAll(async () => {
    ec2 = new EC2Client({ region: REGION });
    hub = new SecurityHubClient({ region: REGION });
    await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    clients = new RecordingClients({ maxAttempts: 3 });
    updates = recordWorkflowUpdates(clients);
  });
  afterAll(() => {
    ec2.destroy();
    hub.destroy();
    clients.destroy();
  });

  it('created NEW, suppressed under an exception, reopened at its expiry, resolved on revert: one finding throughout', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${groupId}`;
    const id = findingIdOf('sg-no-public-ingress', arn);
    const table = { name: 'rampart-exceptions-securityhub', region: REGION };
    await ensureExceptionsTable(clients, table);
    const exceptions = new ExceptionStore(clients, table);
    let now = Date.now();
    const evaluatorIn = (mode: string) => {
      const config = parseConfig(
        {
          securityHub: { enabled: true },
          policies: { 'sg-no-public-ingress': { mode } },
        },
        catalog,
      );
      return new Evaluator({
        catalog,
        config,
        clients,
        audit: auditLog(),
        exceptions,
        now: () => now,
        reporters: [new SecurityHubReporter(clients, { catalog, now: () => now })],
      });
    };
    const notify = evaluatorIn('notify');
    const event = () =>
      authorizeIngressEvent(
        groupId,
        [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
        {},
        { region: REGION },
      );

    // 1. Open: a NEW, FAILED finding with the policy's severity, controls and the actor.
    await notify.handleEvent(event());
    let [finding] = await findingsOf(id);
    expect(finding).toMatchObject({
      GeneratorId: 'sg-no-public-ingress',
      ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
      AwsAccountId: ACCOUNT,
      Severity: { Label: 'HIGH' },
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
      Resources: [{ Type: 'AwsEc2SecurityGroup', Id: arn, Region: REGION }],
      ProductFields: {
        'rampart/actor': `arn:aws:sts::${ACCOUNT}:assumed-role/Developer/alice`,
        'rampart/outcome': 'notified',
      },
    });
    expect(finding!.Compliance!.RelatedRequirements).toEqual(
      expect.arrayContaining([
        'AWS Foundational Security Best Practices EC2.19',
        'CIS AWS Foundations Benchmark v3.0.0/5.2',
      ]),
    );
    expect(updates.at(-1)).toEqual({ ids: [id], status: 'NEW' });

    // 2. An approved exception: still FAILED, the workflow SUPPRESSED.
    await exceptions.grant(
      {
        policyId: 'sg-no-public-ingress',
        resource: {
          partition: 'aws',
          account: ACCOUNT,
          region: REGION,
          type: 'AWS::EC2::SecurityGroup',
          id: groupId,
          arn,
        },
        scope: { kind: 'resource', arn },
        requester: { slackUserId: 'U0REQUEST1' },
        approver: 'U0APPROVE1',
        justification: 'vendor bastion until the VPN cut-over',
        days: 1,
      },
      now,
    );
    await notify.handleEvent(event());
    [finding] = await findingsOf(id);
    expect(finding).toMatchObject({
      Compliance: { Status: 'FAILED' },
      ProductFields: { 'rampart/outcome': 'excepted' },
    });
    expect(updates.at(-1)).toEqual({ ids: [id], status: 'SUPPRESSED' });

    // 3. The exception has expired: found again without one, the finding is NEW again.
    now += 2 * DAY;
    await notify.handleEvent(event());
    expect(updates.at(-1)).toEqual({ ids: [id], status: 'NEW' });

    // 4. Enforced: reverted, PASSED and RESOLVED. Still exactly one finding for the pair.
    await evaluatorIn('enforce').handleEvent(event());
    const all = await findingsOf(id);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      Compliance: { Status: 'PASSED' },
      ProductFields: { 'rampart/outcome': 'reverted' },
    });
    expect(all[0]!.Description).toMatch(/Reverted by Rampart: revoked sgr-/);
    expect(updates.at(-1)).toEqual({ ids: [id], status: 'RESOLVED' });
    expect(audit.filter((r) => r.audit === 'report-failed')).toEqual([]);
  });

  it('the sweep imports what it finds in batches at its end, one finding per open group', async () => {
    const groups = await Promise.all([1, 2, 3].map(() => seedSecurityGroup(ec2, [OPEN_22])));
    const enabled = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'sg-no-public-ingress' ? { mode: 'notify' } : { enabled: false },
      ]),
    );
    const config = parseConfig(
      {
        securityHub: { enabled: true },
        policies: enabled,
        compliance: { sweep: { regions: [REGION] } },
      },
      catalog,
    );
    const rampart = createRampart({ config, clients, audit: auditLog(), reporters: [] });
    clients.reset();
    const { summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    const imports = clients.calls.filter((c) => c === 'BatchImportFindingsCommand');
    expect(imports).toHaveLength(1);
    for (const groupId of groups) {
      const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${groupId}`;
      const [finding] = await findingsOf(findingIdOf('sg-no-public-ingress', arn));
      expect(finding).toMatchObject({
        Compliance: { Status: 'FAILED' },
        ProductFields: { 'rampart/eventSource': 'rampart.sweep' },
      });
    }
  });
  it('the next sweep closes the finding of a violation fixed by hand (no event), and only that one', async () => {
    const [fixed, open] = await Promise.all([1, 2].map(() => seedSecurityGroup(ec2, [OPEN_22])));
    await ensureHistoryTable(clients, {
      name: 'rampart-history-security-hub',
      region: 'us-east-1',
    });
    const enabled = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'sg-no-public-ingress' ? { mode: 'notify' } : { enabled: false },
      ]),
    );
    const config = parseConfig(
      {
        securityHub: { enabled: true },
        policies: enabled,
        compliance: { historyTable: 'rampart-history-security-hub', sweep: { regions: [REGION] } },
      },
      catalog,
    );
    const rampart = createRampart({ config, clients, audit: auditLog(), reporters: [] });
    await new Sweeper(rampart).run({ remediate: false, record: true });
    const arnOf = (groupId: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${groupId}`;
    const idOf = (groupId: string) => findingIdOf('sg-no-public-ingress', arnOf(groupId));
    expect((await findingsOf(idOf(fixed!)))[0]!.Compliance).toEqual({
      Status: 'FAILED',
      RelatedRequirements: expect.any(Array),
    });

    // Fixed by hand, with no event Rampart sees.
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: fixed,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    updates.length = 0;
    const { summary } = await new Sweeper(rampart).run({ remediate: false, record: true });
    expect(summary.errors).toEqual([]);
    const [closed] = await findingsOf(idOf(fixed!));
    expect(closed!.Compliance?.Status).toBe('PASSED');
    expect(updates).toContainEqual({ ids: [idOf(fixed!)], status: 'RESOLVED' });
    // The group still open keeps its finding open; nothing else was resolved.
    expect((await findingsOf(idOf(open!)))[0]!.Compliance?.Status).toBe('FAILED');
    expect(updates.filter((u) => u.status === 'RESOLVED').flatMap((u) => u.ids)).toEqual([
      idOf(fixed!),
    ]);
  });
});

describe('Security Hub throttling and refusals (moto behind a fault proxy)', () => {
  let proxy: FaultProxy;
  const motoEndpoint = process.env.AWS_ENDPOINT_URL!;
  let clients: RecordingClients;
  let ec2: EC2Client;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: motoEndpoint });
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    ec2 = new EC2Client({ region: REGION, endpoint: motoEndpoint });
    clients = new RecordingClients({ maxAttempts: 3 });
    recordWorkflowUpdates(clients);
  });
  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = motoEndpoint;
    clients.destroy();
    ec2.destroy();
    await proxy.close();
  });

  const reporterRun = async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const audit: AuditRecord[] = [];
    const log = new AuditLog(createLogger({ stream: new PassThrough() }));
    log.subscribe((r) => audit.push(r));
    const config = parseConfig(
      { securityHub: { enabled: true }, policies: { 'sg-no-public-ingress': { mode: 'notify' } } },
      catalog,
    );
    const evaluator = new Evaluator({
      catalog,
      config,
      clients,
      audit: log,
      reporters: [new SecurityHubReporter(clients, { catalog })],
    });
    const result = await evaluator.handleEvent(
      authorizeIngressEvent(
        groupId,
        [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
        {},
        { region: REGION },
      ),
    );
    return { groupId, audit, result };
  };

  it('a throttled import is retried, and the finding arrives', async () => {
    proxy.setRules([
      {
        api: 'securityhub:POST /findings/import',
        rate: 1,
        times: 1,
        fault: { kind: 'error', status: 429, code: 'TooManyRequestsException' },
      },
    ]);
    clients.reset();
    const { groupId, audit } = await reporterRun();
    expect(clients.calls.filter((c) => c === 'BatchImportFindingsCommand')).toHaveLength(1);
    expect(Object.values(proxy.stats().injected).reduce((a, b) => a + b, 0)).toBe(1);
    expect(audit.filter((r) => r.audit === 'report-failed')).toEqual([]);
    const hub = new SecurityHubClient({ region: REGION, endpoint: motoEndpoint });
    const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${groupId}`;
    const found = await findingsWithId(hub, findingIdOf('sg-no-public-ingress', arn));
    hub.destroy();
    expect(found).toHaveLength(1);
  });

  it('a refused import is audited with the finding named; the outcome itself stands', async () => {
    proxy.setRules([
      {
        api: 'securityhub:POST /findings/import',
        rate: 1,
        fault: { kind: 'error', status: 403, code: 'AccessDeniedException' },
      },
    ]);
    const { result, audit } = await reporterRun();
    proxy.setRules([]);
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'notified',
    );
    const failed = audit.filter((r) => r.audit === 'report-failed');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0])).toMatch(
      /security-hub.*did not take 1 finding\(s\): rampart\/sg-no-public-ingress\/arn:aws:ec2:eu-west-2:123456789012:security-group\/sg-[0-9a-f]+ \(.*AccessDenied/,
    );
  });
});
