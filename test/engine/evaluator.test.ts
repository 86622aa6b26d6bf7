import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Catalog } from '../../src/engine/catalog';
import {
  definePolicy,
  defineRemediator,
  defineResourceType,
  type Snapshot,
} from '../../src/engine/definitions';
import {
  Evaluator,
  needsRetry,
  type Reporter,
  type ReportContext,
} from '../../src/engine/evaluator';
import { MalformedEventError } from '../../src/events/errors';
import { envelopeOf, loadSample } from '../support/samples';
import { testTypeDeclarations } from '../support/test-type';

const silent = () =>
  new AuditLog(createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }));

/** An in-memory resource type: lets the engine be tested without any AWS call. */
interface WidgetSnapshot extends Snapshot {
  type: 'Test::Widget';
  open: boolean;
}
function widgetWorld(state: { open: boolean; throwOnRead?: boolean }) {
  const writes: string[] = [];
  const type = defineResourceType<WidgetSnapshot>({
    type: 'Test::Widget',
    eventSource: 'widgets.amazonaws.com',
    ...testTypeDeclarations('widgets'),
    cloudTrail: {
      OpenWidget: (r, where) => [
        { type: 'Test::Widget', ...where, id: String((r.requestParameters as { id: string }).id) },
      ],
    },
    ignoredEvents: { RenameWidget: 'changes only the name' },
    readActions: ['widgets:DescribeWidget'],
    async collect(_clients, loc) {
      if (state.throwOnRead) throw new Error('ThrottlingException: slow down');
      return {
        type: 'Test::Widget',
        ref: {
          partition: 'aws',
          account: loc.account,
          region: loc.region,
          type: 'Test::Widget',
          id: loc.id!,
          arn: `arn:aws:widgets:::${loc.id}`,
        },
        open: state.open,
      };
    },
  });
  const remediator = defineRemediator<WidgetSnapshot>({
    id: 'close-widget',
    description: 'closes it',
    resourceType: 'Test::Widget',
    iamActions: { read: [], write: ['widgets:CloseWidget'] },
    async remediate({ snapshot }) {
      writes.push(snapshot.ref.id);
      state.open = false;
      return {
        status: 'reverted',
        changes: ['closed'],
        before: { open: true },
        after: { open: false },
      };
    },
  });
  const policy = (id: string, evaluate: (s: WidgetSnapshot) => boolean, remediatorId?: string) =>
    definePolicy<WidgetSnapshot, { strict: boolean }>({
      id,
      title: id,
      description: id,
      rationale: id,
      severity: 'high',
      pillar: 'security',
      controls: [{ framework: 'aws-well-architected', id: 'SEC01-BP01' }],
      resourceType: 'Test::Widget',
      triggers: ['OpenWidget'],
      defaultMode: 'enforce',
      parameters: z.strictObject({ strict: z.boolean().default(true) }),
      ...(remediatorId ? { remediatorId } : {}),
      evaluate: (s) =>
        evaluate(s)
          ? { compliant: true }
          : {
              compliant: false,
              finding: { message: 'open', elements: [{ kind: 'widget', description: 'open' }] },
            },
    });
  const catalog = new Catalog({
    resourceTypes: [type],
    policies: [
      policy('widget-closed', (s) => !s.open, 'close-widget'),
      policy('widget-buggy', () => {
        throw new Error('bug in policy');
      }),
      policy('widget-no-fix', (s) => !s.open),
    ],
    remediators: [remediator],
  });
  return { catalog, writes };
}

/** An EventBridge envelope as AWS delivers it (`source` aws.*), around a widget record. */
const widgetEvent = (extra: Record<string, unknown> = {}, source = 'aws.widgets') => ({
  id: 'env-1',
  'detail-type': 'AWS API Call via CloudTrail',
  source,
  detail: widgetRecord(extra),
});
const widgetRecord = (extra: Record<string, unknown> = {}) => ({
  eventID: 'ev-1',
  eventName: 'OpenWidget',
  eventSource: 'widgets.amazonaws.com',
  eventTime: new Date(Date.now() - 1000).toISOString(),
  awsRegion: 'us-east-1',
  recipientAccountId: '123456789012',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/bob' },
  requestParameters: { id: 'w-1' },
  ...extra,
});

function evaluatorFor(
  world: ReturnType<typeof widgetWorld>,
  config: Record<string, unknown> = {},
  reporters: Reporter[] = [],
) {
  const audit = silent();
  const records: AuditRecord[] = [];
  audit.subscribe((r) => records.push(r));
  const evaluator = new Evaluator({
    catalog: world.catalog,
    config: parseConfig(config, world.catalog),
    clients: new AwsClients(),
    audit,
    reporters,
  });
  return { evaluator, records };
}

describe('Evaluator', () => {
  it('re-reads, decides per mode and remediates; an erroring policy is an error, never compliant', async () => {
    const world = widgetWorld({ open: true });
    const { evaluator, records } = evaluatorFor(world);
    const result = await evaluator.handleEvent(widgetEvent());
    expect(result.status).toBe('handled');
    if (result.status !== 'handled') return;
    const r = result.resources[0]!;
    expect(r.evaluations.map((e) => [e.policyId, e.status])).toEqual([
      ['widget-closed', 'violation'],
      ['widget-buggy', 'error'],
      ['widget-no-fix', 'violation'],
    ]);
    expect(r.decisions.map((d) => [d.policyId, d.action, d.reason])).toEqual([
      ['widget-closed', 'remediate', 'policy mode is enforce'],
      ['widget-no-fix', 'notify', 'no in-place remediation exists for this policy'],
    ]);
    expect(r.outcomes.map((o) => [o.policyId, o.status])).toEqual([
      ['widget-closed', 'reverted'],
      ['widget-no-fix', 'notified'],
    ]);
    const reverted = r.outcomes[0]!;
    expect(reverted.timings.timeToRevertMs).toBeGreaterThanOrEqual(1000);
    expect(reverted.timings.handlingMs).toBeLessThan(reverted.timings.timeToRevertMs!);
    expect(world.writes).toEqual(['w-1']);
    expect(records.map((x) => x.audit)).toEqual([
      'decision',
      'outcome',
      'evaluation-error',
      'decision',
      'outcome',
    ]);
    expect(records[2]).toMatchObject({ policyId: 'widget-buggy', error: 'bug in policy' });
  });

  it('writes nothing in dry-run or notify mode, and skips disabled policies', async () => {
    const world = widgetWorld({ open: true });
    const dry = await evaluatorFor(world).evaluator.handleEvent(widgetEvent(), { dryRun: true });
    expect(dry.status === 'handled' && dry.resources[0]!.outcomes.map((o) => o.status)).toEqual([
      'dry-run',
      'dry-run',
    ]);
    const notify = await evaluatorFor(world, {
      policies: { 'widget-closed': { mode: 'notify' }, 'widget-buggy': { enabled: false } },
    }).evaluator.handleEvent(widgetEvent());
    expect(
      notify.status === 'handled' && notify.resources[0]!.evaluations.map((e) => e.policyId),
    ).toEqual(['widget-closed', 'widget-no-fix']);
    expect(
      notify.status === 'handled' && notify.resources[0]!.outcomes.map((o) => o.status),
    ).toEqual(['notified', 'notified']);
    expect(world.writes).toEqual([]);
  });

  it('skips with a reason: failed calls, read-only calls, unwatched services, ignored and untriggering events, its own role', async () => {
    const world = widgetWorld({ open: true });
    const { evaluator, records } = evaluatorFor(world, {
      ownRole: { arns: ['arn:aws:iam::123456789012:role/CustomRampart'] },
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ errorCode: 'AccessDenied' }, 'failed-call'],
      [{ readOnly: true }, 'read-only'],
      [{ eventName: 'DescribeWidget', readOnly: undefined }, 'read-only'],
      [{ eventSource: 's3.amazonaws.com' }, 'unwatched-service'],
      [{ eventName: 'RenameWidget' }, 'ignored-event'],
      [{ eventName: 'PaintWidget' }, 'no-trigger'],
      [
        {
          userIdentity: {
            type: 'AssumedRole',
            arn: 'arn:aws:sts::123456789012:assumed-role/RampartRemediationRole/rampart-evaluator',
            sessionContext: {
              sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/RampartRemediationRole' },
            },
          },
        },
        'own-change',
      ],
      [
        {
          userIdentity: {
            type: 'AssumedRole',
            arn: 'arn:aws:sts::123456789012:assumed-role/CustomRampart/rampart-sweep',
            sessionContext: {
              sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/CustomRampart' },
            },
          },
        },
        'own-change',
      ],
    ];
    for (const [extra, code] of cases) {
      expect(await evaluator.handleEvent(widgetEvent(extra)), code).toMatchObject({
        status: 'skipped',
        code,
      });
    }
    expect(world.writes).toEqual([]);
    expect(records.every((r) => r.audit === 'skipped' && typeof r.reason === 'string')).toBe(true);
    expect(records).toHaveLength(cases.length);
  });

  it('does not mistake look-alike roles, other sessions or other accounts for its own', async () => {
    const assumed = (role: string, session: string, account = '123456789012', path = '') => ({
      userIdentity: {
        type: 'AssumedRole',
        accountId: account,
        arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
        sessionContext: {
          sessionIssuer: { arn: `arn:aws:iam::${account}:role/${path}${role}` },
        },
      },
    });
    const lookAlikes: [string, Record<string, unknown>][] = [
      [
        'a role named with Rampart’s name as prefix',
        assumed('RampartRemediationRole-dev', 'alice'),
      ],
      [
        'a look-alike role under Rampart’s session name',
        assumed('RampartRemediationRole-dev', 'rampart-evaluator'),
      ],
      ['Rampart’s role under a human’s session name', assumed('RampartRemediationRole', 'alice')],
      [
        'Rampart’s role name under another path',
        assumed('RampartRemediationRole', 'rampart-evaluator', '123456789012', 'dev/'),
      ],
      [
        'Rampart’s role of another account',
        assumed('RampartRemediationRole', 'rampart-evaluator', '999999999999'),
      ],
      [
        'no session issuer to check',
        {
          userIdentity: {
            type: 'AssumedRole',
            arn: 'arn:aws:sts::123456789012:assumed-role/RampartRemediationRole/rampart-evaluator',
          },
        },
      ],
      [
        'an IAM user named like the role',
        {
          userIdentity: {
            type: 'IAMUser',
            arn: 'arn:aws:iam::123456789012:user/RampartRemediationRole',
          },
        },
      ],
      [
        'an explicitly configured ARN under a foreign session name',
        assumed('CustomRampart', 'mallory'),
      ],
    ];
    for (const [what, extra] of lookAlikes) {
      const world = widgetWorld({ open: true });
      const result = await evaluatorFor(world, {
        ownRole: { arns: ['arn:aws:iam::123456789012:role/CustomRampart'] },
      }).evaluator.handleEvent(widgetEvent(extra));
      expect(result.status, what).toBe('handled');
      expect(world.writes.length, what).toBeGreaterThan(0);
    }
  });

  it('refuses events whose source is not an AWS service, and bare records unless trusted', async () => {
    const forged = [
      widgetEvent({}, 'custom.forger'),
      widgetEvent({}, 'aws'),
      { ...widgetEvent(), source: undefined },
      widgetRecord(),
    ];
    for (const input of forged) {
      const world = widgetWorld({ open: true });
      const reported: ReportContext[] = [];
      const { evaluator } = evaluatorFor(world, {}, [
        { name: 'spy', report: async (c) => void reported.push(c) },
      ]);
      expect(await evaluator.handleEvent(input)).toMatchObject({
        status: 'skipped',
        code: 'untrusted-source',
      });
      expect(world.writes).toEqual([]);
      expect(reported).toEqual([]);
    }
    const world = widgetWorld({ open: true });
    const local = await evaluatorFor(world).evaluator.handleEvent(widgetRecord(), {
      trustBareRecords: true,
    });
    expect(local.status).toBe('handled');
  });

  it('reports a read failure as a resource error that needs a retry', async () => {
    const world = widgetWorld({ open: true, throwOnRead: true });
    const result = await evaluatorFor(world).evaluator.handleEvent(widgetEvent());
    expect(result.status === 'handled' && result.resources[0]).toMatchObject({
      status: 'error',
      error: expect.stringContaining('ThrottlingException'),
    });
    expect(needsRetry(result)).toBe(true);
  });

  it('throws MalformedEventError for a trigger event without an account anywhere', async () => {
    const world = widgetWorld({ open: true });
    await expect(
      evaluatorFor(world).evaluator.handleEvent(
        widgetEvent({ recipientAccountId: undefined, userIdentity: { type: 'IAMUser' } }),
      ),
    ).rejects.toThrow(MalformedEventError);
  });

  it('a slow reporter holds up no other policy of the resource', async () => {
    const world = widgetWorld({ open: true });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const { evaluator } = evaluatorFor(world, {}, [
      {
        name: 'slow-slack',
        report: async (c) => {
          order.push(`report started ${c.evaluation.policyId}`);
          await gate;
          order.push(`report done ${c.evaluation.policyId}`);
        },
      },
    ]);
    const handled = evaluator.handleEvent(widgetEvent());
    // While the first policy's report still waits, the other two policies were judged and
    // reported too (awaited one by one, the first report would hold up the rest).
    await vi.waitFor(
      () => expect(order.filter((o) => o.startsWith('report started'))).toHaveLength(3),
      { timeout: 2000 },
    );
    expect(world.writes).toEqual(['w-1']);
    expect(order.some((o) => o.startsWith('report done'))).toBe(false);
    release();
    const result = await handled;
    expect(result.status).toBe('handled');
    // ...and every report finished before handleEvent returned.
    expect(order.filter((o) => o.startsWith('report done'))).toHaveLength(3);
  });

  it('hands every result to reporters; a failing reporter is audited and changes no outcome', async () => {
    const world = widgetWorld({ open: true });
    const seen: string[] = [];
    const { evaluator, records } = evaluatorFor(world, {}, [
      {
        name: 'collector',
        report: async (c) =>
          void seen.push(`${c.evaluation.policyId}:${c.outcome?.status ?? c.evaluation.status}`),
      },
      {
        name: 'broken',
        report: async () => {
          throw new Error('slack is down');
        },
      },
    ]);
    const result = await evaluator.handleEvent(widgetEvent());
    expect(seen).toEqual([
      'widget-closed:reverted',
      'widget-buggy:error',
      'widget-no-fix:notified',
    ]);
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'reverted',
    );
    expect(records.filter((r) => r.audit === 'report-failed')).toHaveLength(3);
  });
});

describe('Evaluator on a snapshot read elsewhere (the sweep)', () => {
  const snapshotOf = (open: boolean): WidgetSnapshot => ({
    type: 'Test::Widget',
    ref: {
      partition: 'aws',
      account: '123456789012',
      region: 'us-east-1',
      type: 'Test::Widget',
      id: 'w-1',
      arn: 'arn:aws:widgets:::w-1',
    },
    open,
  });
  const trigger = {
    source: 'sweep' as const,
    eventId: 'sweep-1',
    eventName: 'ViolationStillOpen',
    actor: { type: 'Rampart' },
  };

  it('a known violation: reporters hear of a revert, not once more that it is still open', async () => {
    const world = widgetWorld({ open: true });
    const seen: string[] = [];
    const { evaluator, records } = evaluatorFor(world, {}, [
      {
        name: 'collector',
        report: async (c) => void seen.push(`${c.evaluation.policyId}:${c.outcome?.status}`),
      },
    ]);
    const [closed, , noFix] = [...world.catalog.policies.values()];
    await evaluator.handleSnapshot([noFix!], snapshotOf(true), trigger as never, {
      reportChangesOnly: true,
    });
    expect(seen).toEqual([]);
    // Audit still has it.
    expect(records.filter((r) => r.audit === 'outcome').map((r) => r.status)).toEqual(['notified']);
    await evaluator.handleSnapshot([closed!], snapshotOf(true), trigger as never, {
      reportChangesOnly: true,
    });
    expect(seen).toEqual(['widget-closed:reverted']);
    // Without the option (a violation first found by this sweep), it is reported.
    await evaluator.handleSnapshot([noFix!], snapshotOf(true), trigger as never);
    expect(seen).toEqual(['widget-closed:reverted', 'widget-no-fix:notified']);
  });
});

describe('Evaluator on the real samples (shipped catalog)', () => {
  const catalog = defaultCatalog();
  const evaluator = new Evaluator({
    catalog,
    config: parseConfig({}, catalog),
    clients: new AwsClients(),
    audit: silent(),
  });
  it.each([
    ['panther__AuthorizeSecurityGroupIngress__2.json', 'failed-call'],
    ['panther__AuthorizeSecurityGroupIngress__3.json', 'failed-call'],
    ['panther__AuthorizeSecurityGroupEgress__1.json', 'no-trigger'],
    ['panther__CreateAccessKey__1.json', 'no-trigger'],
    ['rust-lambda-events__UserAuthentication__1.json', 'unwatched-service'],
  ])('%s → skipped (%s) without any AWS call', async (name, code) => {
    expect(await evaluator.handleEvent(envelopeOf(loadSample(name)))).toMatchObject({
      status: 'skipped',
      code,
    });
  });
  it('skips a description-only change as not a change of access', async () => {
    const sample = loadSample('panther__AuthorizeSecurityGroupIngress__1.json');
    expect(
      await evaluator.handleEvent(
        envelopeOf({ ...sample, eventName: 'UpdateSecurityGroupRuleDescriptionsIngress' }),
      ),
    ).toMatchObject({
      status: 'skipped',
      code: 'ignored-event',
      reason: expect.stringContaining('not who can reach'),
    });
  });
});
