import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { AwsClients } from '../src/aws/clients';
import { defaultCatalog } from '../src/catalog';
import { parseConfig } from '../src/config';
import { AuditLog, createLogger } from '../src/audit';
import { Evaluator } from '../src/engine/evaluator';
import type { Snapshot } from '../src/engine/definitions';
import { startFaultProxy } from '../src/local/fault-proxy';
import { createLambdaRole, zipOf } from '../src/local/lambda-function';
import { startMoto, type MotoServer } from '../src/local/moto';
import { buildLambda } from '../infra/bundling';
import { table, verdict } from './stats';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const ROOT = resolve(import.meta.dirname, '..');
const SIZES = (process.env.BENCH_SWEEP_N ?? '300,1000,3000').split(',').map(Number);
/** N of the runs behind the 20 ms proxy (the serial pass is long: ~23 ms a call). */
const PROXY_N = (process.env.BENCH_SWEEP_PROXY_N ?? String(Math.min(...SIZES)))
  .split(',')
  .map(Number);
const LATENCY_MS = 20;
const run_ = promisify(execFile);

type Mode = 'sweep' | 'floor' | 'serial';

interface ChildResult {
  mode: Mode;
  ms: number;
  resources: number;
  rssMB: number;
  calls: number;
  byAction: Record<string, number>;
  findings?: number;
}

/** The sweep's default bound on concurrent detail reads; the floor gets the same. */
const CONCURRENCY = 16;

/**
 * The child (sweep and floor alike) bundled as the sweep function is deployed: esbuild with
 * the same settings and the SDK tree-shaking plugin (infra/bundling.ts). Run through tsx,
 * the transpiler and the untrimmed SDK schemas alone take ~140 MB before any call.
 */
let childBundle: Promise<string> | undefined;
function bundledChild(): Promise<string> {
  childBundle ??= buildLambda(
    resolve(ROOT, 'bench/sweep-child.ts'),
    mkdtempSync(join(tmpdir(), 'rampart-sweep-bench-')),
  ).then((b) => b.outfile);
  return childBundle;
}

/** One measured run in a fresh process, so its peak RSS is its own. */
async function childOnce(mode: Mode, endpoint: string): Promise<ChildResult> {
  const { stdout } = await run_('node', [await bundledChild(), mode, String(CONCURRENCY)], {
    cwd: ROOT,
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: REGION,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    maxBuffer: 10 * 1024 * 1024,
    timeout: 900_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

/**
 * N security groups (every 10th open to the world on 22), N/3 queues (every 3rd without a
 * DLQ, the rest dead-letter queues by name), N/10 tables (every other without KMS) and
 * N/10 functions (every other without an on-failure destination). In parallel.
 */
export interface SeedMix {
  groups: number;
  queues: number;
  tables: number;
  functions: number;
}

/** The mix of the runs at N: N groups, N/3 queues, N/10 tables, N/10 functions. */
export function mixOf(n: number): SeedMix {
  return {
    groups: n,
    queues: Math.floor(n / 3),
    tables: Math.floor(n / 10),
    functions: Math.floor(n / 10),
  };
}

export async function seed(moto: MotoServer, n: number | SeedMix): Promise<void> {
  const mix = typeof n === 'number' ? mixOf(n) : n;
  await moto.reset();
  const limit = pLimit(16);
  const ec2 = new EC2Client({ region: REGION });
  const sqs = new SQSClient({ region: REGION });
  const ddb = new DynamoDBClient({ region: REGION });
  const lambda = new LambdaClient({ region: REGION });
  const iam = new IAMClient({ region: REGION });
  const role = await createLambdaRole(iam, 'bench-fn-role');
  const dlqArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:bench-dlq`;
  await sqs.send(new CreateQueueCommand({ QueueName: 'bench-dlq' }));
  const zip = zipOf('index.js', 'exports.handler = async () => "ok";\n');
  const jobs: (() => Promise<unknown>)[] = [];
  for (let i = 0; i < mix.groups; i++) {
    jobs.push(async () => {
      const g = await ec2.send(
        new CreateSecurityGroupCommand({ GroupName: `bench-${i}`, Description: 'bench' }),
      );
      if (i % 10 === 0) {
        await ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: g.GroupId,
            IpPermissions: [
              { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
            ],
          }),
        );
      }
    });
  }
  for (let i = 0; i < mix.queues; i++) {
    const name = i % 3 === 0 ? `bench-q-${i}` : `bench-q-${i}-dlq`;
    jobs.push(() => sqs.send(new CreateQueueCommand({ QueueName: name })));
  }
  for (let i = 0; i < Math.max(mix.tables, mix.functions); i++) {
    if (i < mix.tables) {
      jobs.push(() =>
        ddb.send(
          new CreateTableCommand({
            TableName: `bench-t-${i}`,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            ...(i % 2 ? { SSESpecification: { Enabled: true, SSEType: 'KMS' } } : {}),
          }),
        ),
      );
    }
    if (i < mix.functions)
      jobs.push(async () => {
        const name = `bench-fn-${i}`;
        await lambda.send(
          new CreateFunctionCommand({
            FunctionName: name,
            Runtime: 'nodejs20.x',
            Role: role.Role!.Arn!,
            Handler: 'index.handler',
            Code: { ZipFile: zip },
          }),
        );
        if (i % 2) {
          await lambda.send(
            new PutFunctionEventInvokeConfigCommand({
              FunctionName: name,
              DestinationConfig: { OnFailure: { Destination: dlqArn } },
            }),
          );
        }
      });
  }
  await Promise.all(jobs.map((job) => limit(job)));
  for (const c of [ec2, sqs, ddb, lambda, iam]) c.destroy();
}

/** Pure evaluation throughput: every enabled policy over the snapshots the sweep lists. */
async function evaluationRate(): Promise<{ evaluations: number; perSecond: number }> {
  const catalog = defaultCatalog();
  const config = parseConfig({}, catalog);
  const clients = new AwsClients();
  const evaluator = new Evaluator({
    catalog,
    config,
    clients,
    audit: new AuditLog(createLogger({ stream: process.stderr })),
  });
  const judged: { snapshot: Snapshot; policies: ReturnType<typeof catalog.policiesFor> }[] = [];
  for (const type of catalog.resourceTypes.values()) {
    if (!type.enumerate) continue;
    const policies = catalog.policiesFor(type.type);
    const scope = { account: ACCOUNT, region: REGION, limit: pLimit(16) };
    for await (const snapshot of type.enumerate.list(clients, scope))
      judged.push({ snapshot, policies });
  }
  clients.destroy();
  let evaluations = 0;
  const started = performance.now();
  while (performance.now() - started < 1000) {
    for (const { snapshot, policies } of judged) {
      for (const p of policies) {
        evaluator.evaluate(p, snapshot);
        evaluations++;
      }
    }
  }
  return { evaluations, perSecond: evaluations / ((performance.now() - started) / 1000) };
}

/**
 * REPEATS runs of each mode, interleaved (moto's first calls after a reset are slow, which
 * must not count against whichever runs first); each mode's median run, with the highest
 * peak RSS of its runs.
 */
const REPEATS = Number(process.env.BENCH_SWEEP_REPEATS ?? 3);
async function medians(modes: Mode[], endpoint: string): Promise<Map<Mode, ChildResult>> {
  const runs = new Map<Mode, ChildResult[]>(modes.map((m) => [m, []]));
  for (let i = 0; i < REPEATS; i++) {
    for (const mode of modes) runs.get(mode)!.push(await childOnce(mode, endpoint));
  }
  const out = new Map<Mode, ChildResult>();
  for (const [mode, results] of runs) {
    const sorted = [...results].sort((a, b) => a.ms - b.ms);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    out.set(mode, { ...median, rssMB: Math.max(...results.map((r) => r.rssMB)) });
  }
  return out;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const CALL_RATIO = 1.1;
const WALL_RATIO = 1.1;
const WALL_SLACK_MS = 250;
const PROXY_SPEEDUP = 2.5;
const RSS_TARGET_MB = 150;
/** Resources the RSS run must reach. */
const RSS_RESOURCES = 10_000;
/**
 * Its mix: moto's ListQueues answers at most 1,000 URLs and no NextToken (AWS pages on), so
 * more queues in one region would not be listed by the sweep or its floor; the rest are
 * groups. BENCH_SWEEP_RSS_N=0 skips the run.
 */
const RSS_MIX: SeedMix | undefined =
  process.env.BENCH_SWEEP_RSS_N === '0'
    ? undefined
    : { groups: 7_000, queues: 999, tables: 1_000, functions: 1_000 };

/** Calls per IAM action, sweep beside floor, for every action either made. */
function callRows(sweep: ChildResult, floor: ChildResult): (string | number)[][] {
  const actions = [...new Set([...Object.keys(sweep.byAction), ...Object.keys(floor.byAction)])];
  return actions.sort().map((a) => {
    const mine = sweep.byAction[a] ?? 0;
    const least = floor.byAction[a] ?? 0;
    return [a, mine, least, mine === least ? '=' : `${mine > least ? '+' : ''}${mine - least}`];
  });
}

/**
 * The sweep at N = 300, 1,000 and 3,000 security groups (plus N/3 queues, N/10 tables and
 * N/10 functions) in moto beside its floor (the least calls the verdicts need, made with a
 * bare SDK under the same concurrency) and a serial pass over the same calls; an empty
 * account; pure evaluation; the same runs behind a proxy adding 20 ms a call; and the peak
 * RSS at 10,000 resources. BENCH_SWEEP_N=100,300 BENCH_SWEEP_RSS_N=0 for a quick try.
 */
export async function run(): Promise<void> {
  const moto = await startMoto();
  Object.assign(process.env, moto.env);
  try {
    const rows: (string | number)[][] = [];
    await moto.reset();
    const emptyRuns = await medians(['floor', 'sweep'], moto.endpoint);
    const empty = emptyRuns.get('sweep')!;
    const emptyFloor = emptyRuns.get('floor')!;
    rows.push([
      'empty account',
      empty.resources,
      s(empty.ms),
      s(emptyFloor.ms),
      `${empty.ms >= emptyFloor.ms ? '+' : ''}${s(empty.ms - emptyFloor.ms)}`,
      `${empty.calls} / ${emptyFloor.calls}`,
      `${empty.rssMB.toFixed(0)} MB (floor ${emptyFloor.rssMB.toFixed(0)} MB)`,
      `≤ floor + 0.25 s: ${verdict(empty.ms <= emptyFloor.ms + WALL_SLACK_MS)}; ≤ 90 MB: ${verdict(empty.rssMB <= 90)}`,
    ]);
    let evaluation: Awaited<ReturnType<typeof evaluationRate>> | undefined;
    let largest: { n: number; sweep: ChildResult; floor: ChildResult } | undefined;
    const proxyRows: (string | number)[][] = [];
    for (const n of SIZES) {
      const seeding = performance.now();
      await seed(moto, n);
      const seededIn = performance.now() - seeding;
      const runs = await medians(['floor', 'sweep'], moto.endpoint);
      const floor = runs.get('floor')!;
      const sweep = runs.get('sweep')!;
      const over = sweep.ms - floor.ms;
      const callsOk = sweep.calls <= CALL_RATIO * floor.calls;
      const wallOk = sweep.ms <= WALL_RATIO * floor.ms + WALL_SLACK_MS;
      rows.push([
        `N = ${n} (seeded in ${s(seededIn)})`,
        sweep.resources,
        s(sweep.ms),
        s(floor.ms),
        `${over >= 0 ? '+' : ''}${s(over)} (${(sweep.ms / floor.ms).toFixed(2)}×)`,
        `${sweep.calls} / ${floor.calls} (${(sweep.calls / floor.calls).toFixed(2)}×)`,
        `${sweep.rssMB.toFixed(0)} MB (floor ${floor.rssMB.toFixed(0)} MB)`,
        `calls ≤ ${CALL_RATIO}×: ${verdict(callsOk)}; wall ≤ ${WALL_RATIO}× + 0.25 s: ${verdict(wallOk)}`,
      ]);
      largest = { n, sweep, floor };
      if (n === Math.max(...SIZES)) evaluation = await evaluationRate();
      if (PROXY_N.includes(n)) {
        const proxy = await startFaultProxy({
          target: moto.endpoint,
          rules: [{ api: '*', rate: 1, fault: { kind: 'latency', ms: LATENCY_MS } }],
        });
        try {
          const p = await medians(['serial', 'floor', 'sweep'], proxy.endpoint);
          const [pSerial, pFloor, pSweep] = [p.get('serial')!, p.get('floor')!, p.get('sweep')!];
          const speedup = pSerial.ms / pSweep.ms;
          proxyRows.push([
            `N = ${n}, +${LATENCY_MS} ms a call`,
            s(pSweep.ms),
            s(pFloor.ms),
            `${s(pSerial.ms)} (${pSerial.calls} calls)`,
            `${speedup.toFixed(2)}×`,
            `≥ ${PROXY_SPEEDUP}× the serial pass: ${verdict(speedup >= PROXY_SPEEDUP)}; ≤ ${WALL_RATIO}× floor + 0.25 s: ${verdict(pSweep.ms <= WALL_RATIO * pFloor.ms + WALL_SLACK_MS)}`,
          ]);
        } finally {
          await proxy.close();
        }
      }
    }
    process.stdout.write(
      `\nSweep (read-only, every enabled policy, moto on loopback; medians of ${REPEATS} interleaved runs, each in a fresh process)\n${table(
        [
          'run',
          'resources',
          'sweep',
          'floor',
          'over floor',
          'calls (sweep / floor)',
          'peak RSS',
          'target',
        ],
        rows,
      )}\n` +
        `The floor: a bare SDK script making only the calls the verdicts need (listings at their\n` +
        `largest page, the per-resource reads the listings lack, tags only where a verdict turns on\n` +
        `them) under the sweep's concurrency (${CONCURRENCY}); both bundled as the sweep function is deployed.\n`,
    );
    if (largest) {
      process.stdout.write(
        `\nCalls per action at N = ${largest.n}\n${table(['action', 'sweep', 'floor', 'sweep − floor'], callRows(largest.sweep, largest.floor))}\n`,
      );
    }
    if (evaluation) {
      process.stdout.write(
        `\nEvaluation alone (no I/O): ${evaluation.evaluations} resource×policy evaluations, ${evaluation.perSecond.toFixed(0)}/s (target ≥ 200,000/s: ${verdict(evaluation.perSecond >= 200_000)})\n`,
      );
    }
    if (proxyRows.length) {
      process.stdout.write(
        `\nBehind a loopback proxy adding ${LATENCY_MS} ms to every call\n${table(
          ['run', 'sweep', 'floor', 'serial pass', 'serial / sweep', 'target'],
          proxyRows,
        )}\n` +
          "The serial pass (the floor's calls one after another, as a per-resource boto3 script\n" +
          'or Cloud Custodian makes them) stands in for Cloud Custodian, which is not installable here.\n',
      );
    }
    // Last, after every other table is out: at this size moto itself can fail while seeding.
    if (RSS_MIX) {
      const mixName = `${RSS_MIX.groups} groups, ${RSS_MIX.queues} queues, ${RSS_MIX.tables} tables, ${RSS_MIX.functions} functions`;
      const seeding = performance.now();
      try {
        await seed(moto, RSS_MIX);
      } catch (error) {
        throw new Error(`seeding ${mixName} for the RSS run failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      const seededIn = performance.now() - seeding;
      const big = await childOnce('sweep', moto.endpoint);
      // The bare-SDK floor over the same world: how much of the peak is the SDK's own.
      const bigFloor = await childOnce('floor', moto.endpoint);
      const rssRow = [
        `${mixName} (seeded in ${s(seededIn)})`,
        big.resources,
        s(big.ms),
        `${big.rssMB.toFixed(0)} MB (floor ${bigFloor.rssMB.toFixed(0)} MB)`,
        `≥ ${RSS_RESOURCES} resources, ≤ ${RSS_TARGET_MB} MB: ${verdict(big.resources >= RSS_RESOURCES && big.rssMB <= RSS_TARGET_MB)}`,
      ];
      process.stdout.write(
        `\nPeak RSS at ${RSS_RESOURCES.toLocaleString('en')}+ resources (one sweep)\n${table(['run', 'resources', 'sweep', 'peak RSS', 'target'], [rssRow])}\n`,
      );
    }
  } finally {
    await moto.stop();
  }
}
