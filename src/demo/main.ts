import { createRampart } from '../app';
import { AwsClients } from '../aws/clients';
import type { EventResult } from '../engine/evaluator';
import { errorMessage } from '../errors';
import { startMoto } from '../local/moto';
import { demoScenarios, emulatorGaps } from './scenarios';
import { runSlackDemo } from './slack';
import { summaryTable } from '../sweep/format';
import { Sweeper } from '../sweep/sweep';
import type { ExceptionStore } from '../exceptions/store';

const ACCOUNT = '123456789012'; // moto's default account
const REGION = 'us-east-1';

const tty = process.stdout.isTTY === true;
const paint = (code: string) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const red = paint('31');
const yellow = paint('33');

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function printResult(result: EventResult): { reverted: number; failed: number } {
  const counts = { reverted: 0, failed: 0 };
  if (result.status === 'skipped') {
    print(`  ${yellow('skipped')}   ${result.reason}`);
    return counts;
  }
  const actor = result.trigger.actor;
  print(
    `  event     ${result.eventName} by ${actor?.arn ?? 'unknown'} from ${actor?.sourceIPAddress ?? '?'}`,
  );
  for (const resource of result.resources) {
    if (resource.error) print(`  ${red('error')}     ${resource.error}`);
    for (const decision of resource.decisions) {
      print(`  violation ${decision.violation.message}`);
      print(`  decision  ${decision.action} (${decision.reason})`);
    }
    for (const outcome of resource.outcomes) {
      const t = outcome.timings;
      const status =
        outcome.status === 'reverted'
          ? green(outcome.status)
          : outcome.status === 'failed'
            ? red(outcome.status)
            : outcome.status;
      const timing =
        t.timeToRevertMs !== undefined
          ? ` — time-to-revert ${t.timeToRevertMs} ms (Rampart's share ${t.handlingMs} ms)`
          : '';
      print(`  outcome   ${status} [${outcome.policyId}]${timing}`);
      for (const change of outcome.changes) print(`            ${change}`);
      if (outcome.error) print(`            ${red(outcome.error)}`);
      if (outcome.status === 'reverted') counts.reverted++;
      if (outcome.status === 'failed') counts.failed++;
    }
  }
  return counts;
}

/**
 * `npm run demo`: a local emulated AWS account (moto), one violation per policy with a
 * compliant twin, the matching CloudTrail events through the real evaluator, and what
 * happened. Needs no credentials; leaves nothing running.
 */
async function main(): Promise<number> {
  print(bold('Rampart demo') + dim(' — a local emulated AWS account, no credentials needed'));
  const moto = await startMoto({ iamManagedPolicies: true });
  Object.assign(process.env, moto.env, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  print(dim(`moto server on ${moto.endpoint}; SDK clients reach it through AWS_ENDPOINT_URL`));
  const clients = new AwsClients();
  // Audit lines are what Lambda would log to CloudWatch; the demo prints them only if asked.
  const silent = { write: () => true } as unknown as NodeJS.WritableStream;
  const rampart = createRampart({
    clients,
    config: undefined,
    logStream: process.env.RAMPART_DEMO_AUDIT ? process.stderr : silent,
  });
  const totals = { scenarios: 0, reverted: 0, failed: 0 };
  let exceptions: ExceptionStore | undefined;
  try {
    for (const scenario of demoScenarios) {
      totals.scenarios++;
      const policy = rampart.catalog.policies.get(scenario.policyId);
      print();
      print(bold(`▶ ${scenario.policyId}`) + ` — ${scenario.story}`);
      print(
        dim(
          `  policy    ${policy?.title ?? '(unknown policy)'} [mode ${rampart.config.policies[scenario.policyId]?.mode}]`,
        ),
      );
      try {
        const seeded = await scenario.seed({ clients, account: ACCOUNT, region: REGION });
        for (const line of await seeded.describe()) print(`  before    ${line}`);
        const result = await rampart.evaluator.handleEvent(seeded.event);
        const counts = printResult(result);
        totals.reverted += counts.reverted;
        totals.failed += counts.failed;
        for (const line of await seeded.describe()) print(`  after     ${line}`);
        for (const line of (await seeded.describeTwin?.()) ?? [])
          print(dim(`  twin      ${line} (compliant, untouched)`));
        const again = await rampart.evaluator.handleEvent(seeded.event);
        const statuses =
          again.status === 'handled'
            ? again.resources.flatMap((r) => r.outcomes.map((o) => o.status))
            : [again.status];
        print(dim(`  replayed  the same event again → ${statuses.join(', ')} (idempotent)`));
      } catch (error) {
        totals.failed++;
        print(red(`  failed    ${errorMessage(error)}`));
      }
    }
    for (const [policyId, why] of Object.entries(emulatorGaps)) {
      print();
      print(bold(`▶ ${policyId}`) + yellow(` — not shown: ${why}`));
    }
    print();
    print(bold('▶ Slack') + ' — a reverted notice and an approval flow, as Slack shows them');
    try {
      const slack = await runSlackDemo({ clients, account: ACCOUNT, region: REGION }, print);
      totals.failed += slack.failed;
      exceptions = slack.exceptions;
    } catch (error) {
      totals.failed++;
      print(red(`  failed    ${errorMessage(error)}`));
    }
    print();
    print(
      bold('▶ Scan') +
        ' — then the periodic sweep, read-only, over the whole demo account (`rampart scan`)',
    );
    try {
      // The exception granted in the Slack flow counts: that group shows as excepted.
      const readOnly = createRampart({
        clients,
        logStream: silent,
        humanLoop: { reporters: [], ...(exceptions ? { exceptions } : {}) },
      });
      const { findings, summary } = await new Sweeper(readOnly).run({
        regions: [REGION],
        remediate: false,
      });
      for (const f of findings) print(`  ${f.status.padEnd(9)} ${f.policy}: ${f.message}`);
      for (const line of summaryTable(summary).split('\n')) print(`  ${line}`);
      if (summary.errors.length > 0) totals.failed++;
    } catch (error) {
      totals.failed++;
      print(red(`  failed    ${errorMessage(error)}`));
    }
  } finally {
    clients.destroy();
    await moto.stop();
  }
  print();
  print(
    bold(
      `Summary: ${totals.scenarios} scenario(s), ${totals.reverted} reverted, ${totals.failed} failed`,
    ),
  );
  return totals.failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`demo failed: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);
