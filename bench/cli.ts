import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClients } from '../src/aws/clients';
import { cloudTrailEvent } from '../src/demo/events';
import { startMoto } from '../src/local/moto';
import { CLI_OUTDIR, buildCli } from '../infra/build-package';
import { REPO_ROOT } from '../infra/bundling';
import { seedSecurityGroup } from '../test/support/ec2';
import { table, verdict } from './stats';

/**
 * How the `rampart` command starts, against Node's own start measured in the same run:
 * `node -e 0`, `rampart --help`, `rampart scan` of an empty account and `rampart handle` of
 * one event (a world-open SSH rule, reverted), each a fresh process of the compiled CLI
 * (bin/rampart.js, as a user runs it), runs interleaved so drift hits all alike; medians.
 * Peak RSS is read inside each child at exit (a preloaded one-liner, for node too).
 * Targets (issue 15): help ≤ 3×, empty scan ≤ 8× and ≤ 90 MB, handle ≤ 10×.
 */
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);
const ACCOUNT = '123456789012';
// A region nothing else uses: the scan's account is empty there.
const SCAN_REGION = 'ap-southeast-3';
const HANDLE_REGION = 'eu-north-1';
// VmHWM (Linux): the peak of this process's own memory; ru_maxrss would carry the bench
// process's peak across fork and exec.
const RSS_PROBE = `data:text/javascript,${encodeURIComponent(
  "import{readFileSync}from'node:fs';process.on('exit',()=>{let kb;try{kb=/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1]}catch{kb=process.resourceUsage().maxRSS}process.stderr.write('RAMPART_MAX_RSS_KB='+kb+'\\n')})",
)}`;

interface Sample {
  ms: number;
  rssKb: number;
}

function timed(args: string[], env: NodeJS.ProcessEnv, expectCodes: number[]): Sample {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', RSS_PROBE, ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const ms = performance.now() - started;
  if (!expectCodes.includes(child.status ?? -1)) {
    throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  }
  const rss = /RAMPART_MAX_RSS_KB=(\d+)/.exec(child.stderr ?? '');
  return { ms, rssKb: rss ? Number(rss[1]) : Number.NaN };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function run(): Promise<void> {
  await buildCli(CLI_OUTDIR); // what bin/rampart.js runs, from these sources
  const moto = await startMoto();
  Object.assign(process.env, moto.env);
  const ec2 = new EC2Client({ region: HANDLE_REGION });
  const clients = new AwsClients();
  try {
    const env = {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
    const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-cli-'));
    const bin = join(REPO_ROOT, 'bin/rampart.js');
    const groupId = await seedSecurityGroup(ec2, []);
    const commands: Record<string, () => Sample> = {
      'node -e 0': () => timed(['-e', '0'], env, [0]),
      'rampart --help': () => timed([bin, '--help'], env, [0]),
      'rampart scan (empty account)': () =>
        timed([bin, 'scan', '--region', SCAN_REGION], { ...env, AWS_REGION: SCAN_REGION }, [0]),
      'rampart handle (one event, reverted)': () => {
        const event = cloudTrailEvent(
          { clients, account: ACCOUNT, region: HANDLE_REGION },
          {
            eventSource: 'ec2.amazonaws.com',
            eventName: 'AuthorizeSecurityGroupIngress',
            requestParameters: {
              groupId,
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
        const file = join(dir, 'event.json');
        writeFileSync(file, JSON.stringify(event));
        return timed([bin, 'handle', file], { ...env, AWS_REGION: HANDLE_REGION }, [0]);
      },
    };
    const samples = new Map<string, Sample[]>(Object.keys(commands).map((k) => [k, []]));
    for (let i = 0; i < RUNS + 1; i++) {
      for (const [name, command] of Object.entries(commands)) {
        if (name.startsWith('rampart handle')) {
          // Re-open the rule (untimed) so each handle has a violation to revert.
          await ec2.send(
            new AuthorizeSecurityGroupIngressCommand({
              GroupId: groupId,
              IpPermissions: [
                {
                  IpProtocol: 'tcp',
                  FromPort: 22,
                  ToPort: 22,
                  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
                },
              ],
            }),
          );
        }
        const sample = command();
        if (i > 0) samples.get(name)!.push(sample); // the first round warms the page cache
      }
    }
    const node = median(samples.get('node -e 0')!.map((s) => s.ms));
    const targets: Record<string, { ratio: number; rssMb?: number }> = {
      'rampart --help': { ratio: 3 },
      'rampart scan (empty account)': { ratio: 8, rssMb: 90 },
      'rampart handle (one event, reverted)': { ratio: 10 },
    };
    const rows = [...samples].map(([name, list]) => {
      const ms = median(list.map((s) => s.ms));
      const rssMb = median(list.map((s) => s.rssKb)) / 1024;
      const target = targets[name];
      const ratio = ms / node;
      const ok = !target || (ratio <= target.ratio && (!target.rssMb || rssMb <= target.rssMb));
      return [
        name,
        `${ms.toFixed(0)} ms`,
        `${ratio.toFixed(2)}×`,
        `${rssMb.toFixed(0)} MB`,
        target ? `≤ ${target.ratio}×${target.rssMb ? `, ≤ ${target.rssMb} MB` : ''}` : '',
        target ? verdict(ok) : '',
      ];
    });
    process.stdout.write(
      `\nCLI start (compiled, bin/rampart.js; medians of ${RUNS} interleaved runs, Node ${process.version})\n`,
    );
    process.stdout.write(
      `${table(['command', 'wall', 'vs node -e 0', 'peak RSS', 'target', ''], rows)}\n`,
    );
  } finally {
    clients.destroy();
    ec2.destroy();
    await moto.stop();
  }
}
