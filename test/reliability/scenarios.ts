import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { randomUUID } from 'node:crypto';
import { createRampart, type Rampart } from '../../src/app';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { createEvaluatorHandler } from '../../src/handlers/evaluator';
import { seededRandom, type FaultProxy, type FaultRule } from '../../src/local/fault-proxy';
import { loadBadInput } from '../support/bad-input';
import { authorizeIngressEvent, cloudTrailEnvelope } from '../support/cloudtrail';
import { OPEN_22, OPEN_443, PRIVATE_5432 } from '../support/ec2';
import { createStateTable, recordingReporter } from '../support/reliability';
import { drain, type QueueOptions } from './queue-simulator';

/**
 * The five reliability scenarios of issue 8, parameterised by size: `npm run
 * test:reliability` runs them scaled down (CI_SIZES) and asserts each row; `bench/
 * reliability.ts` runs the full sizes (FULL_SIZES). Every AWS call Rampart makes goes
 * through the fault proxy (AWS_ENDPOINT_URL); the scenario's own seeding and checking go
 * straight to moto, so injected faults never corrupt the verdict.
 */
export interface ScenarioSizes {
  faultEvents: number;
  faultRate: number;
  duplicateEvents: number;
  duplicateCopies: number;
  burstEvents: number;
  warSeconds: number;
}

export const CI_SIZES: ScenarioSizes = {
  faultEvents: 120,
  faultRate: 0.3,
  duplicateEvents: 40,
  duplicateCopies: 10,
  burstEvents: 500,
  warSeconds: 120,
};

export const FULL_SIZES: ScenarioSizes = {
  faultEvents: 1000,
  faultRate: 0.3,
  duplicateEvents: 200,
  duplicateCopies: 10,
  burstEvents: 5000,
  warSeconds: 120,
};

export interface ScenarioRow {
  scenario: string;
  load: string;
  faults: string;
  expected: string;
  observed: string;
  pass: boolean;
  seconds: number;
  /** Figures for assertions and the bench. */
  figures: Record<string, number>;
}

export interface ScenarioEnv {
  /** moto itself: the scenario's own seeding and verification. */
  motoEndpoint: string;
  /** What Rampart's SDK clients reach through AWS_ENDPOINT_URL. */
  proxy: FaultProxy;
}

/*
 * Each simulated invocation has 15 s (the deployed evaluator has more), and, as AWS
 * requires of a queue feeding Lambda, the visibility timeout exceeds it. A record is cut off
 * at its deadline and does nothing after it (src/handlers/evaluator.ts), so a short
 * invocation would measure the machine's load, not Rampart: at 5 s a loaded CI machine cut
 * one record off after its revert and before its outcome was recorded, and the retry
 * reported it again (41 notices for 40 events).
 */
const QUEUE: QueueOptions = {
  batchSize: 10,
  concurrency: 4,
  maxReceiveCount: 5,
  invocationMs: 15_000,
  redeliveryDelayMs: 18_000,
};
const BREAKER = { maxReverts: 3, windowMinutes: 10, cooldownMinutes: 60 };
const OPEN_22_TEXT = 'tcp 22-22 0.0.0.0/0';
const FAULT_REGIONS = ['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1'];
const DUPLICATE_REGIONS = ['eu-west-2', 'eu-south-1'];
const BURST_REGIONS = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
  'sa-east-1',
  'us-east-2',
  'ca-central-1',
];

/** A seeded security group and the region it lives in. */
interface Placed {
  region: string;
  groupId: string;
}

/** Bounded parallel map (seeding thousands of groups without flooding moto). */
async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

function shuffle<T>(items: T[], seed: number): T[] {
  const random = seededRandom(seed);
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Rates for rules rolled one after another so that they add up to `total` per call. */
export function splitRate(total: number, faults: FaultRule['fault'][]): FaultRule[] {
  const share = total / faults.length;
  let remaining = 1;
  return faults.map((fault) => {
    const rate = share / remaining;
    remaining -= share;
    return { api: '*', rate, fault };
  });
}

class Harness {
  readonly audit: AuditRecord[] = [];
  readonly reporter = recordingReporter();
  /** The last logged failure reason of each SQS message (what the DLQ entry carries). */
  readonly failureReason = new Map<string, string>();
  private readonly log: AuditLog;
  private readonly built: Rampart[] = [];

  constructor(
    private readonly table: string,
    private readonly options: { now?: () => number } = {},
  ) {
    this.log = new AuditLog(
      createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
    );
    this.log.subscribe((r) => {
      this.audit.push(r);
      if (r.audit === 'record-failed')
        this.failureReason.set(String(r.messageId), String(r.reason));
    });
  }

  /** One Rampart per simulated Lambda container: own SDK clients, shared table. */
  handlerFor = () => {
    const rampart = createRampart({
      config: parseConfig(
        { reliability: { stateTable: this.table, revertBreaker: BREAKER } },
        defaultCatalog(),
      ),
      clients: new AwsClients({ maxAttempts: 3 }),
      audit: this.log,
      reporters: [this.reporter],
      ...(this.options.now ? { now: this.options.now } : {}),
    });
    this.built.push(rampart);
    return createEvaluatorHandler(rampart);
  };

  count(kind: string, status?: string): number {
    return this.audit.filter((r) => r.audit === kind && (!status || r.status === status)).length;
  }

  close(): void {
    for (const r of this.built) r.clients.destroy();
  }
}

class Scenarios {
  private readonly direct = new Map<string, EC2Client>();
  private readonly dynamodb: DynamoDBClient;

  constructor(private readonly env: ScenarioEnv) {
    this.dynamodb = new DynamoDBClient({ endpoint: env.motoEndpoint });
  }

  ec2(region: string): EC2Client {
    let client = this.direct.get(region);
    if (!client) {
      client = new EC2Client({ region, endpoint: this.env.motoEndpoint });
      this.direct.set(region, client);
    }
    return client;
  }

  async table(): Promise<string> {
    return createStateTable(this.dynamodb, `rampart-state-${randomUUID()}`);
  }

  async seedGroups(region: string, count: number, ingress: IpPermission[]): Promise<string[]> {
    const ec2 = this.ec2(region);
    return mapLimit(
      Array.from({ length: count }, (_, i) => i),
      8,
      async () => {
        const group = await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: `reliability-${randomUUID()}`,
            Description: 'rampart reliability scenario',
          }),
        );
        if (ingress.length > 0) {
          await ec2.send(
            new AuthorizeSecurityGroupIngressCommand({
              GroupId: group.GroupId!,
              IpPermissions: ingress,
            }),
          );
        }
        return group.GroupId!;
      },
    );
  }

  /**
   * Groups spread round-robin over regions: moto filters security-group rules by scanning
   * every rule of the region (70 ms per call at 1,300 groups against 7 ms at 10), which
   * would make the scenarios measure moto rather than Rampart.
   */
  async seedSpread(regions: string[], count: number, ingress: IpPermission[]): Promise<Placed[]> {
    const perRegion = await Promise.all(
      regions.map((region, r) =>
        this.seedGroups(
          region,
          Math.floor(count / regions.length) + (r < count % regions.length ? 1 : 0),
          ingress,
        ),
      ),
    );
    const placed: Placed[] = [];
    for (let i = 0; placed.length < count; i++) {
      const region = regions[i % regions.length]!;
      const groupId = perRegion[i % regions.length]![Math.floor(i / regions.length)]!;
      placed.push({ region, groupId });
    }
    return placed;
  }

  /** Ingress rules of placed groups, keyed by group id. */
  async ingressOf(groups: Placed[]): Promise<Map<string, string[]>> {
    const merged = new Map<string, string[]>();
    for (const region of new Set(groups.map((g) => g.region))) {
      const ids = groups.filter((g) => g.region === region).map((g) => g.groupId);
      for (const [id, rules] of await this.ingress(region, ids)) merged.set(id, rules);
    }
    return merged;
  }

  /** Ingress rules of the given groups, read in one call: `ruleId text` per rule. */
  async ingress(region: string, groups: string[]): Promise<Map<string, string[]>> {
    const out = await this.ec2(region).send(new DescribeSecurityGroupRulesCommand({}));
    const wanted = new Set(groups);
    const byGroup = new Map<string, string[]>(groups.map((g) => [g, []]));
    for (const r of out.SecurityGroupRules ?? []) {
      if (r.IsEgress || !wanted.has(r.GroupId!)) continue;
      byGroup
        .get(r.GroupId!)!
        .push(
          `${r.SecurityGroupRuleId} ${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${r.CidrIpv4 ?? r.CidrIpv6}`,
        );
    }
    return byGroup;
  }

  violation({ region, groupId }: Placed): string {
    return JSON.stringify(
      authorizeIngressEvent(
        groupId,
        [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
        {},
        {
          region,
        },
      ),
    );
  }

  /** 1. Violations with throttling and 5xx injected into every AWS call Rampart makes. */
  async faults(n: number, rate: number): Promise<ScenarioRow> {
    const started = Date.now();
    const groups = await this.seedSpread(FAULT_REGIONS, n, [OPEN_22, OPEN_443, PRIVATE_5432]);
    const before = await this.ingressOf(groups);
    const harness = new Harness(await this.table());
    const eventOf = new Map<string, string>();
    const bodies = groups.map((g) => {
      const body = this.violation(g);
      eventOf.set(body, g.groupId);
      return body;
    });
    this.env.proxy.setRules(
      splitRate(rate, [
        { kind: 'throttle' },
        { kind: 'server-error', status: 500 },
        { kind: 'server-error', status: 503 },
      ]),
      2026,
    );
    this.env.proxy.resetStats();
    let drained;
    try {
      drained = await drain(bodies, harness.handlerFor, QUEUE);
    } finally {
      this.env.proxy.setRules([]);
      harness.close();
    }
    const stats = this.env.proxy.stats();
    const calls = Object.values(stats.calls).reduce((a, b) => a + b, 0);
    const injected = Object.values(stats.injected).reduce((a, b) => a + b, 0);
    const after = await this.ingressOf(groups);
    const deadLettered = new Map(drained.deadLettered.map((m) => [eventOf.get(m.body)!, m.id]));

    let reverted = 0;
    let inDlq = 0;
    let lost = 0;
    let collateral = 0;
    for (const { groupId: g } of groups) {
      const now = after.get(g)!;
      const keep = before.get(g)!.filter((r) => !r.endsWith(OPEN_22_TEXT));
      const untouched =
        keep.every((r) => now.includes(r)) && now.every((r) => before.get(g)!.includes(r));
      if (!untouched) collateral++;
      if (!now.some((r) => r.endsWith(OPEN_22_TEXT))) reverted++;
      else if (deadLettered.has(g) && harness.failureReason.get(deadLettered.get(g)!)) inDlq++;
      else lost++;
    }
    const pass =
      lost === 0 && collateral === 0 && drained.crashes.length === 0 && reverted + inDlq === n;
    return {
      scenario: '1. faults on every AWS call',
      load: `${n} violation events (1 group each, plus 2 rules that must stay; ${FAULT_REGIONS.length} regions)`,
      faults: `${Math.round(rate * 100)}% of calls: throttling / 500 / 503 (${injected} of ${calls} calls)`,
      expected: 'each reverted or in the DLQ with a reason; 0 lost; 0 collateral',
      observed: `${reverted} reverted, ${inDlq} in DLQ with reason, ${lost} lost, ${collateral} collateral`,
      pass,
      seconds: (Date.now() - started) / 1000,
      figures: {
        reverted,
        inDlq,
        lost,
        collateral,
        calls,
        injected,
        crashes: drained.crashes.length,
      },
    };
  }

  /** 2. At-least-once delivery: each event delivered several times, some concurrently. */
  async duplicates(n: number, copies: number): Promise<ScenarioRow> {
    const started = Date.now();
    const groups = await this.seedSpread(DUPLICATE_REGIONS, n, [OPEN_22, OPEN_443]);
    const harness = new Harness(await this.table());
    const events = groups.map((g) => this.violation(g));
    const bodies = shuffle(
      events.flatMap((e) => Array.from({ length: copies }, () => e)),
      8,
    );
    let drained;
    try {
      drained = await drain(bodies, harness.handlerFor, QUEUE);
    } finally {
      harness.close();
    }
    const after = await this.ingressOf(groups);
    const stillOpen = groups.filter((g) =>
      after.get(g.groupId)!.some((r) => r.endsWith(OPEN_22_TEXT)),
    );
    const reverts = harness.count('outcome', 'reverted');
    const notices = harness.reporter.notices.length;
    const pass =
      reverts === n &&
      notices === n &&
      stillOpen.length === 0 &&
      drained.deadLettered.length === 0 &&
      drained.crashes.length === 0;
    return {
      scenario: '2. duplicate deliveries',
      load: `${copies} copies of each of ${n} events (${bodies.length} messages, shuffled, 4 consumers)`,
      faults: 'none (at-least-once delivery)',
      expected: `exactly ${n} reverts and ${n} notices`,
      observed: `${reverts} reverts, ${notices} notices, ${drained.deadLettered.length} in DLQ, ${stillOpen.length} left open`,
      pass,
      seconds: (Date.now() - started) / 1000,
      figures: { reverts, notices, deadLettered: drained.deadLettered.length },
    };
  }

  /** 3. A burst of mixed events through the SQS-batch handler with bounded concurrency. */
  async burst(m: number): Promise<ScenarioRow> {
    const started = Date.now();
    const violations = Math.round(m * 0.2);
    const compliant = Math.round(m * 0.3);
    const other = m - violations - compliant;
    const open = await this.seedSpread(BURST_REGIONS, violations, [OPEN_22, OPEN_443]);
    const closed = await this.seedSpread(BURST_REGIONS, Math.ceil(compliant / 5), [OPEN_443]);
    const bodies = [
      ...open.map((g) => this.violation(g)),
      ...Array.from({ length: compliant }, (_, i) =>
        JSON.stringify(
          authorizeIngressEvent(
            closed[i % closed.length]!.groupId,
            [{ protocol: 'tcp', from: 443, cidr: '0.0.0.0/0' }],
            {},
            { region: closed[i % closed.length]!.region },
          ),
        ),
      ),
      ...Array.from({ length: other }, (_, i) =>
        JSON.stringify(
          cloudTrailEnvelope(
            i % 2 === 0
              ? {
                  eventSource: 'ec2.amazonaws.com',
                  eventName: 'DescribeSecurityGroups',
                  readOnly: true,
                }
              : {
                  eventSource: 'ec2.amazonaws.com',
                  eventName: 'AuthorizeSecurityGroupIngress',
                  errorCode: 'Client.UnauthorizedOperation',
                  requestParameters: { groupId: open[i % open.length]!.groupId },
                },
            { region: open[i % open.length]!.region },
          ),
        ),
      ),
    ];
    const harness = new Harness(await this.table());
    const drainStarted = Date.now();
    let drained;
    try {
      drained = await drain(shuffle(bodies, 3), harness.handlerFor, QUEUE);
    } finally {
      harness.close();
    }
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    const rate = m / drainSeconds;
    const after = await this.ingressOf(open);
    const stillOpen = open.filter((g) =>
      after.get(g.groupId)!.some((r) => r.endsWith(OPEN_22_TEXT)),
    );
    const reverts = harness.count('outcome', 'reverted');
    const skipped = harness.count('skipped');
    const pass =
      drained.deleted === m &&
      drained.deadLettered.length === 0 &&
      drained.crashes.length === 0 &&
      reverts === violations &&
      stillOpen.length === 0;
    return {
      scenario: '3. burst',
      load: `${m} events: ${violations} violations, ${compliant} compliant changes, ${other} skippable; ${BURST_REGIONS.length} regions; batches of 10, 4 consumers`,
      faults: 'none',
      expected: 'all processed, none in the DLQ; events/s reported',
      observed: `${drained.deleted} processed (${reverts} reverted, ${skipped} skipped), ${drained.deadLettered.length} in DLQ; ${rate.toFixed(0)} events/s`,
      pass,
      seconds: (Date.now() - started) / 1000,
      figures: { processed: drained.deleted, reverts, skipped, eventsPerSecond: rate },
    };
  }

  /** 4. Something re-opens the same port every second: the breaker must stop the war. */
  async revertWar(seconds: number): Promise<ScenarioRow> {
    const started = Date.now();
    const region = 'us-west-2';
    const [groupId] = await this.seedGroups(region, 1, []);
    const ec2 = this.ec2(region);
    let clock = Date.now();
    const harness = new Harness(await this.table(), { now: () => clock });
    const statuses: string[] = [];
    const reopenAndDeliver = async () => {
      await ec2
        .send(
          new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [OPEN_22] }),
        )
        .catch((e: Error) => {
          if (e.name !== 'InvalidPermission.Duplicate') throw e; // still open: held back
        });
      const before = harness.reporter.notices.length;
      await drain([this.violation({ region, groupId: groupId! })], harness.handlerFor, {
        ...QUEUE,
        concurrency: 1,
      });
      for (const n of harness.reporter.notices.slice(before)) statuses.push(n.outcome!.status);
    };
    try {
      for (let s = 0; s < seconds; s++) {
        clock += 1000; // simulated time: one change per second
        await reopenAndDeliver();
      }
      const war = [...statuses];
      clock += BREAKER.cooldownMinutes * 60_000;
      await reopenAndDeliver();
      const resumed = statuses.at(-1);
      const count = (s: string) => war.filter((x) => x === s).length;
      const figures = {
        reverted: count('reverted'),
        escalated: count('escalated'),
        suppressed: count('suppressed'),
      };
      const pass =
        figures.reverted === BREAKER.maxReverts &&
        figures.escalated === 1 &&
        figures.suppressed === seconds - BREAKER.maxReverts - 1 &&
        war.indexOf('escalated') === BREAKER.maxReverts &&
        resumed === 'reverted';
      return {
        scenario: '4. revert war',
        load: `1 change/s for ${seconds} s (simulated clock), then one after the cool-down`,
        faults: `K=${BREAKER.maxReverts} reverts in M=${BREAKER.windowMinutes} min, cool-down ${BREAKER.cooldownMinutes} min`,
        expected: `${BREAKER.maxReverts} reverts, trip at K, 1 escalation, then suppressed; resumes after the cool-down`,
        observed: `${figures.reverted} reverts, escalation #${war.indexOf('escalated') + 1} (${figures.escalated} in all), ${figures.suppressed} suppressed; after cool-down: ${resumed}`,
        pass,
        seconds: (Date.now() - started) / 1000,
        figures,
      };
    } finally {
      harness.close();
    }
  }

  /** 5. The bad-input corpus through the queue: nothing crashes, everything accounted for. */
  async badInput(): Promise<ScenarioRow> {
    const started = Date.now();
    const { cases } = loadBadInput();
    const harness = new Harness(await this.table());
    let drained;
    try {
      drained = await drain(
        cases.map((c) => c.body),
        harness.handlerFor,
        { ...QUEUE, maxReceiveCount: 3, redeliveryDelayMs: 1100 },
      );
    } finally {
      harness.close();
    }
    const deadLettered = drained.deadLettered.filter((m) => harness.failureReason.get(m.id));
    const skipped = harness.count('skipped');
    const audited = harness.count('not-found') + harness.count('outcome');
    const expectedDlq = cases.filter((c) => c.expect === 'dead-letter').length;
    const accounted = deadLettered.length + skipped + audited;
    const pass =
      drained.crashes.length === 0 &&
      accounted === cases.length &&
      deadLettered.length === drained.deadLettered.length &&
      deadLettered.length >= expectedDlq;
    return {
      scenario: '5. bad input',
      load: `${cases.length} malformed or odd events (test/fixtures/bad-input)`,
      faults:
        'truncated JSON, wrong types, null parameters, huge payloads, unknown services, errorCode, Config items',
      expected: '0 crashes; each skipped with a reason or in the DLQ with a reason',
      observed: `${drained.crashes.length} crashes; ${skipped} skipped, ${deadLettered.length} in DLQ with reason, ${audited} audited as handled/not found; ${cases.length - accounted} unaccounted`,
      pass,
      seconds: (Date.now() - started) / 1000,
      figures: {
        crashes: drained.crashes.length,
        skipped,
        deadLettered: deadLettered.length,
        audited,
      },
    };
  }

  close(): void {
    for (const c of this.direct.values()) c.destroy();
    this.dynamodb.destroy();
  }
}

export type ScenarioName = 'faults' | 'duplicates' | 'burst' | 'revertWar' | 'badInput';

/** Runs one scenario at the given sizes. */
export async function runScenario(
  env: ScenarioEnv,
  name: ScenarioName,
  sizes: ScenarioSizes,
): Promise<ScenarioRow> {
  const scenarios = new Scenarios(env);
  try {
    switch (name) {
      case 'faults':
        return await scenarios.faults(sizes.faultEvents, sizes.faultRate);
      case 'duplicates':
        return await scenarios.duplicates(sizes.duplicateEvents, sizes.duplicateCopies);
      case 'burst':
        return await scenarios.burst(sizes.burstEvents);
      case 'revertWar':
        return await scenarios.revertWar(sizes.warSeconds);
      case 'badInput':
        return await scenarios.badInput();
    }
  } finally {
    scenarios.close();
  }
}

export const SCENARIO_NAMES: ScenarioName[] = [
  'faults',
  'duplicates',
  'burst',
  'revertWar',
  'badInput',
];

/** A plain-text table: scenario, load, faults, expected, observed, result. */
export function formatTable(rows: ScenarioRow[]): string {
  const header = ['scenario', 'load', 'faults', 'expected', 'observed', 'result'];
  const cells = rows.map((r) => [
    r.scenario,
    r.load,
    r.faults,
    r.expected,
    r.observed,
    `${r.pass ? 'PASS' : 'FAIL'} (${r.seconds.toFixed(1)} s)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}
