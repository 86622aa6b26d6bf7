import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRampart } from '../src/app';
import { AwsClients } from '../src/aws/clients';
import { cloudTrailEvent } from '../src/demo/events';
import { startMoto } from '../src/local/moto';
import { seedSecurityGroup } from '../test/support/ec2';
import { ms, summarise, table, verdict } from './stats';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const WARMUP = 20;

const OPEN_22 = {
  IpProtocol: 'tcp',
  FromPort: 22,
  ToPort: 22,
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
};
const OPEN_443 = {
  IpProtocol: 'tcp',
  FromPort: 443,
  ToPort: 443,
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
};

/**
 * Event → verified revert latency of the evaluator against loopback moto, beside the
 * floor: the same describe → revoke → verify calls made bare with the SDK. Runs are
 * interleaved (one Rampart event, one bare sequence) so drift in moto hits both alike.
 */
export async function run(): Promise<void> {
  const moto = await startMoto();
  Object.assign(process.env, moto.env);
  const clients = new AwsClients();
  const rampart = createRampart({
    clients,
    config: undefined,
    logStream: createWriteStream('/dev/null'),
  });
  const ec2 = new EC2Client({ region: REGION });
  try {
    const total = WARMUP + EVENTS;
    // A small, constant pool of groups re-opened before each (untimed) iteration: moto's
    // filters scan every group, so an ever-growing account would slow both series alike.
    const POOL = 10;
    const groups: string[] = [];
    for (let i = 0; i < 2 * POOL; i++) groups.push(await seedSecurityGroup(ec2, [OPEN_443]));
    const reopen = (groupId: string) =>
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [OPEN_22] }),
      );

    const rampartMs: number[] = [];
    const floorMs: number[] = [];
    let failures = 0;
    const started = performance.now();
    let rampartTotal = 0;
    let floorTotal = 0;
    for (let i = 0; i < total; i++) {
      const rampartGroup = groups[(2 * i) % (2 * POOL)]!;
      const floorGroup = groups[(2 * i + 1) % (2 * POOL)]!;
      await reopen(rampartGroup);
      await reopen(floorGroup);
      const event = cloudTrailEvent(
        { clients, account: ACCOUNT, region: REGION },
        {
          eventSource: 'ec2.amazonaws.com',
          eventName: 'AuthorizeSecurityGroupIngress',
          requestParameters: {
            groupId: rampartGroup,
            ipPermissions: {
              items: [
                {
                  ipProtocol: 'tcp',
                  fromPort: 22,
                  toPort: 22,
                  ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] },
                },
              ],
            },
          },
        },
      );
      const t0 = performance.now();
      const result = await rampart.evaluator.handleEvent(event);
      const t1 = performance.now();
      const reverted =
        result.status === 'handled' && result.resources[0]?.outcomes[0]?.status === 'reverted';
      if (!reverted) failures++;

      const groupId = floorGroup;
      const t2 = performance.now();
      const rules = await ec2.send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: 'group-id', Values: [groupId] }],
        }),
      );
      const offending = (rules.SecurityGroupRules ?? []).filter(
        (r) => !r.IsEgress && r.CidrIpv4 === '0.0.0.0/0' && r.FromPort === 22,
      );
      await ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: groupId,
          SecurityGroupRuleIds: offending.map((r) => r.SecurityGroupRuleId!),
        }),
      );
      await ec2.send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: 'group-id', Values: [groupId] }],
        }),
      );
      const t3 = performance.now();
      if (i >= WARMUP) {
        rampartMs.push(t1 - t0);
        floorMs.push(t3 - t2);
        rampartTotal += t1 - t0;
        floorTotal += t3 - t2;
      }
    }
    const wall = performance.now() - started;
    const r = summarise(rampartMs);
    const f = summarise(floorMs);
    const overheadP50 = r.p50 - f.p50;
    console.log(
      `\nEvaluator: event → verified revert, ${EVENTS} events (after ${WARMUP} warm-up), loopback moto, one at a time`,
    );
    console.log(
      table(
        ['metric', 'rampart', 'floor (bare SDK)', 'overhead', 'target', ''],
        [
          [
            'p50',
            ms(r.p50),
            ms(f.p50),
            ms(overheadP50),
            // Issue 15: within 1.5 ms of the bare-SDK floor as the pipeline is reshaped.
            'p50 ≤ 25 ms, overhead ≤ 1.5 ms',
            verdict(r.p50 <= 25 && overheadP50 <= 1.5),
          ],
          ['p95', ms(r.p95), ms(f.p95), ms(r.p95 - f.p95), '', ''],
          [
            'p99',
            ms(r.p99),
            ms(f.p99),
            ms(r.p99 - f.p99),
            "p99 ≤ 100 ms and ≤ the floor's",
            verdict(r.p99 <= 100 && r.p99 <= f.p99),
          ],
          [
            'events/s',
            (EVENTS / (rampartTotal / 1000)).toFixed(0),
            (EVENTS / (floorTotal / 1000)).toFixed(0),
            '',
            '',
            '',
          ],
          ['not reverted', failures, '', '', '0', verdict(failures === 0)],
        ],
      ),
    );
    console.log(
      `(wall time ${(wall / 1000).toFixed(1)} s for both series, re-opening included; events/s counts handling time only)`,
    );
  } finally {
    clients.destroy();
    ec2.destroy();
    await moto.stop();
  }
}
