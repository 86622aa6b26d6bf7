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
/** N of the run behind the 20 ms proxy (its serial floor is long: ~23 ms a call). */
const PROXY_N = Number(process.env.BENCH_SWEEP_PROXY_N ?? Math.min(...SIZES));
const LATENCY_MS = 20;
const run_ = promisify(execFile);

interface ChildResult {
  mode: string;
  ms: number;
  resources: number;
  rssMB: number;
  calls?: number;
  findings?: number;
}

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
async function childOnce(mode: 'sweep' | 'floor', endpoint: string): Promise<ChildResult> {
  const { stdout } = await run_('node', [await bundledChild(), mode], {
    cwd: ROOT,
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: REGION,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    maxBuffer: 10 * 1024 * 1024,
    timeout: 600_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

/**
 * N security groups (every 10th open to the world on 22), N/3 queues (every 3rd without a
 * DLQ, the rest dead-letter queues by name), N/10 tables (every other without KMS) and
 * N/10 functions (every other without an on-failure destination). In parallel.
 */
export async function seed(moto: MotoServer, n: number): Promise<void> {
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
  for (let i = 0; i < n; i++) {
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
  for (let i = 0; i < Math.floor(n / 3); i++) {
    const name = i % 3 === 0 ? `bench-q-${i}` : `bench-q-${i}-dlq`;
    jobs.push(() => sqs.send(new CreateQueueCommand({ QueueName: name })));
  }
  for (let i = 0; i < Math.floor(n / 10); i++) {
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
 * The faster of REPEATS runs, floor and sweep alternating: moto's first calls after a
 * reset are slow (lazy imports), which must not count against whichever runs first.
 */
const REPEATS = Number(process.env.BENCH_SWEEP_REPEATS ?? 2);
async function child(mode: 'sweep' | 'floor', endpoint: string): Promise<ChildResult> {
  let best: ChildResult | undefined;
  for (let i = 0; i < REPEATS; i++) {
    const r = await childOnce(mode, endpoint);
    if (!best || r.ms < best.ms) best = { ...r, rssMB: Math.max(r.rssMB, best?.rssMB ?? 0) };
  }
  return best!;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * The sweep at N = 300, 1,000 and 3,000 security groups (plus N/3 queues, N/10 tables and
 * N/10 functions) in moto beside the floor, an empty account, pure evaluation, and the
 * same sweep behind a proxy adding 20 ms a call. BENCH_SWEEP_N=100,300 for a quick try.
 */
export async function run(): Promise<void> {
  const moto = await startMoto();
  Object.assign(process.env, moto.env);
  try {
    const rows: (string | number)[][] = [];
    await moto.reset();
    const emptyFloor = await child('floor', moto.endpoint);
    const empty = await child('sweep', moto.endpoint);
    rows.push([
      'empty account',
      empty.resources,
      s(empty.ms),
      '-',
      `${s(emptyFloor.ms)} (${emptyFloor.calls} calls)`,
      `${s(empty.ms - emptyFloor.ms)}`,
      `${empty.rssMB.toFixed(0)} MB (floor ${emptyFloor.rssMB.toFixed(0)} MB)`,
      `≤ 0.35 s: ${verdict(empty.ms <= 350)}; ≤ 90 MB: ${verdict(empty.rssMB <= 90)}`,
    ]);
    let proxyDone = false;
    let evaluation: Awaited<ReturnType<typeof evaluationRate>> | undefined;
    const proxyRows: (string | number)[][] = [];
    for (const n of SIZES) {
      const seeding = performance.now();
      await seed(moto, n);
      const seededIn = performance.now() - seeding;
      const floor = await child('floor', moto.endpoint);
      const sweep = await child('sweep', moto.endpoint);
      const over = sweep.ms - floor.ms;
      const ratio = sweep.ms / floor.ms;
      const ok = over <= 250 || (n >= 3000 && ratio <= 1.05);
      rows.push([
        `N = ${n} (seeded in ${s(seededIn)})`,
        sweep.resources,
        s(sweep.ms),
        `${(sweep.resources / (sweep.ms / 1000)).toFixed(0)}/s`,
        `${s(floor.ms)} (${floor.calls} calls)`,
        `${over >= 0 ? '+' : ''}${s(over)} (${ratio.toFixed(2)}×)`,
        `${sweep.rssMB.toFixed(0)} MB (floor ${floor.rssMB.toFixed(0)} MB)`,
        `≤ +0.25 s${n >= 3000 ? ' or ≤ 1.05×' : ''}: ${verdict(ok)}`,
      ]);
      if (n === Math.max(...SIZES)) evaluation = await evaluationRate();
      if (!proxyDone && n === PROXY_N) {
        proxyDone = true;
        const proxy = await startFaultProxy({
          target: moto.endpoint,
          rules: [{ api: '*', rate: 1, fault: { kind: 'latency', ms: LATENCY_MS } }],
        });
        try {
          const pFloor = await child('floor', proxy.endpoint);
          const pSweep = await child('sweep', proxy.endpoint);
          proxyRows.push([
            `N = ${n}, +${LATENCY_MS} ms a call`,
            s(pSweep.ms),
            s(pFloor.ms),
            `${(pSweep.ms / pFloor.ms).toFixed(3)}`,
            `≤ 0.333: ${verdict(pSweep.ms <= pFloor.ms / 3)}`,
          ]);
        } finally {
          await proxy.close();
        }
      }
    }
    process.stdout.write(
      `\nSweep (read-only, every enabled policy, moto on loopback; each run in a fresh process)\n${table(
        ['run', 'resources', 'sweep', 'rate', 'floor (serial)', 'over floor', 'peak RSS', 'target'],
        rows,
      )}\n` +
        'Each run is the sweep (or the floor) bundled as the sweep function is deployed, in a fresh\n' +
        "process; the floor (a bare SDK script making the same calls) shows Rampart's share of the RSS.\n",
    );
    if (evaluation) {
      process.stdout.write(
        `\nEvaluation alone (no I/O): ${evaluation.evaluations} resource×policy evaluations, ${evaluation.perSecond.toFixed(0)}/s (target ≥ 200,000/s: ${verdict(evaluation.perSecond >= 200_000)})\n`,
      );
    }
    if (proxyRows.length) {
      process.stdout.write(
        `\nBehind a loopback proxy adding ${LATENCY_MS} ms to every call\n${table(
          ['run', 'sweep', 'floor (serial)', 'sweep / floor', 'target'],
          proxyRows,
        )}\n`,
      );
    }
  } finally {
    await moto.stop();
  }
}
