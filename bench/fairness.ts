import { EC2Client } from '@aws-sdk/client-ec2';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createRampart } from '../src/app';
import { AuditLog, createLogger } from '../src/audit';
import { AwsClients } from '../src/aws/clients';
import { defaultCatalog } from '../src/catalog';
import { parseConfig } from '../src/config';
import { createEvaluatorHandler } from '../src/handlers/evaluator';
import { startMoto } from '../src/local/moto';
import { authorizeIngressEvent } from '../test/support/cloudtrail';
import { OPEN_22, PRIVATE_5432, seedSecurityGroup } from '../test/support/ec2';
import { summarise, table } from './stats';

/**
 * Fairness on the event path: 20 member accounts, one of them noisy (a Terraform apply:
 * 5,000 events on its security groups, all compliant), the 19 others each opening SSH to the
 * internet on 3 groups just after the burst. The real evaluator handler consumes the queue
 * with the evaluator's reserved concurrency (5 pollers taking batches of 10, as Lambda's
 * event source mapping does), once in a standard queue's order (the buffer alone) and once
 * in a FIFO queue's with one message group per account (what the Pipe of
 * infra/account-lanes.ts fills); the resources are read and reverted in moto. Prints the quiet accounts' time-to-revert (from enqueue to handled) and how long
 * the noisy account's burst took to drain. BENCH_FAIRNESS_NOISY=1000 for a quick try.
 */
const NOISY_EVENTS = Number(process.env.BENCH_FAIRNESS_NOISY ?? 5000);
const QUIET_ACCOUNTS = 19;
const QUIET_EVENTS_EACH = 3;
const POLLERS = 5;
const REGION = 'eu-west-1';
const HOME = '123456789012';
const BOUND_MS = 10 * 60 * 1000;
const silent = () =>
  new AuditLog(createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }));

interface LayoutResult {
  layout: string;
  quietMs: number[];
  noisyDrainMs: number;
  reverted: number;
}

/** A message as the event source mapping hands it over. */
interface Queued {
  id: string;
  group: string;
  body: string;
  at: number;
  quiet: boolean;
}

/**
 * The two delivery disciplines, in process: a standard queue hands out the oldest messages;
 * a FIFO queue the oldest of groups with nothing in flight (SQS's per-group ordering, which
 * Lambda's event source mapping keeps: one batch of a group at a time). In process because
 * moto's ReceiveMessage costs time in proportion to the backlog (0.43 s a call at 500
 * messages here), which would measure moto rather than the layout.
 */
class Discipline {
  private readonly waiting: Queued[] = [];
  private readonly busy = new Set<string>();
  constructor(readonly fifo: boolean) {}
  push(m: Queued): void {
    this.waiting.push(m);
  }
  get size(): number {
    return this.waiting.length;
  }
  take(max: number): Queued[] {
    const batch: Queued[] = [];
    for (let i = 0; i < this.waiting.length && batch.length < max;) {
      const m = this.waiting[i]!;
      if (this.fifo && this.busy.has(m.group) && !batch.some((b) => b.group === m.group)) {
        i++;
        continue;
      }
      batch.push(m);
      this.waiting.splice(i, 1);
    }
    if (this.fifo) for (const m of batch) this.busy.add(m.group);
    return batch;
  }
  done(batch: readonly Queued[]): void {
    if (this.fifo) for (const m of batch) this.busy.delete(m.group);
  }
}

async function runLayout(
  clients: AwsClients,
  fifo: boolean,
  noisy: { account: string; groups: string[] },
  quiet: { account: string; groups: string[] }[],
): Promise<LayoutResult> {
  const config = parseConfig(
    {
      policies: Object.fromEntries(
        [...defaultCatalog().policies.keys()].map((p) => [
          p,
          p === 'sg-no-public-ingress' ? { mode: 'enforce' } : { enabled: false },
        ]),
      ),
    },
    defaultCatalog(),
  );
  const handler = createEvaluatorHandler(
    createRampart({ clients, config, audit: silent(), reporters: [] }),
  );
  const queue = new Discipline(fifo);
  const event = (account: string, group: string, cidr: string, isQuiet: boolean): Queued => {
    const body = authorizeIngressEvent(
      group,
      [{ protocol: 'tcp', from: 22, cidr }],
      {},
      { account, region: REGION },
    );
    return { id: body.id, group: account, body: JSON.stringify(body), at: 0, quiet: isQuiet };
  };
  const quietEvents = quiet.flatMap((q) =>
    q.groups.map((g) => event(q.account, g, '0.0.0.0/0', true)),
  );
  const noisyEvents = Array.from({ length: NOISY_EVENTS }, (_, i) =>
    event(noisy.account, noisy.groups[i % noisy.groups.length]!, '10.0.0.0/8', false),
  );
  // The burst lands first; the quiet accounts' changes just after it.
  const started = performance.now();
  for (const m of [...noisyEvents, ...quietEvents]) queue.push({ ...m, at: performance.now() });

  const quietMs: number[] = [];
  let noisyDone = 0;
  let noisyLeft = NOISY_EVENTS;
  let reverted = 0;
  const poll = async () => {
    while (
      performance.now() - started < BOUND_MS &&
      (quietMs.length < quietEvents.length || noisyLeft > 0)
    ) {
      const messages = queue.take(10);
      if (messages.length === 0) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const batch: SQSEvent = {
        Records: messages.map((m) => ({
          messageId: m.id,
          receiptHandle: m.id,
          body: m.body,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '0',
            SenderId: 'bench',
            ApproximateFirstReceiveTimestamp: '0',
            ...(fifo ? { MessageGroupId: m.group } : {}),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${REGION}:${HOME}:rampart-events`,
          awsRegion: REGION,
        })),
      };
      const response = (await handler(batch)) as SQSBatchResponse;
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      const done = performance.now();
      for (const m of messages) {
        if (failed.has(m.id)) {
          queue.push(m); // redelivered, as SQS would after the visibility timeout
          continue;
        }
        if (m.quiet) {
          quietMs.push(done - m.at);
          reverted++;
        } else if (--noisyLeft === 0) {
          noisyDone = done;
        }
      }
      queue.done(messages);
    }
  };
  await Promise.all(Array.from({ length: POLLERS }, () => poll()));
  return {
    layout: fifo
      ? 'FIFO, one message group per account (the lanes)'
      : 'one standard queue (the buffer alone)',
    quietMs,
    noisyDrainMs: (noisyDone || performance.now()) - started,
    reverted,
  };
}

export async function run(): Promise<void> {
  const moto = await startMoto();
  const saved = { ...process.env };
  Object.assign(process.env, moto.env, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  const clients = new AwsClients({
    maxAttempts: 3,
    crossAccount: { roleName: 'RampartRemediationRole', homeAccount: HOME },
  });
  const results: LayoutResult[] = [];
  try {
    const seedGroups = async (account: string, n: number, open: boolean) => {
      const ec2 = clients.get(EC2Client, { region: REGION, account });
      const groups: string[] = [];
      for (let i = 0; i < n; i++)
        groups.push(await seedSecurityGroup(ec2, [open ? OPEN_22 : PRIVATE_5432]));
      return groups;
    };
    const noisy = { account: '800000000000', groups: await seedGroups('800000000000', 50, false) };
    for (const fifo of [false, true]) {
      const quiet = [];
      for (let i = 1; i <= QUIET_ACCOUNTS; i++) {
        const account = String(800000000000 + i + (fifo ? 100 : 0));
        quiet.push({ account, groups: await seedGroups(account, QUIET_EVENTS_EACH, true) });
      }
      results.push(await runLayout(clients, fifo, noisy, quiet));
    }
  } finally {
    clients.destroy();
    await moto.stop();
    process.env = saved;
  }
  const rows = results.map((r) => {
    const q = summarise(r.quietMs);
    return [
      r.layout,
      `${r.reverted} / ${QUIET_ACCOUNTS * QUIET_EVENTS_EACH}`,
      (q.p50 / 1000).toFixed(2),
      (q.p99 / 1000).toFixed(2),
      (r.noisyDrainMs / 1000).toFixed(1),
    ];
  });
  process.stdout.write(
    `\nEvent path fairness: ${NOISY_EVENTS} events from one noisy account, ${QUIET_ACCOUNTS} quiet accounts × ${QUIET_EVENTS_EACH} reverts, ${POLLERS} pollers × 10\n${table(
      ['layout', 'quiet reverted', 'quiet p50 s', 'quiet p99 s', 'noisy burst drained s'],
      rows,
    )}\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
