import { startFaultProxy } from '../src/local/fault-proxy';
import { MOTO_DUMMY_ENV, startMoto } from '../src/local/moto';
import {
  FULL_SIZES,
  SCENARIO_NAMES,
  formatTable,
  runScenario,
  type ScenarioRow,
} from '../test/reliability/scenarios';

/**
 * The reliability scenarios of issue 8 at full size (1,000 events under 30% faults,
 * 200 × 10 duplicates, a 5,000-event burst, a 2-minute revert war, the bad-input corpus)
 * on a fresh local moto behind the fault proxy. Prints the table; `npm run
 * test:reliability` runs the same scenarios scaled down and asserts them.
 */
export async function run(): Promise<void> {
  const moto = await startMoto();
  const proxy = await startFaultProxy({ target: moto.endpoint, seed: 2026 });
  const saved = { ...process.env };
  Object.assign(process.env, MOTO_DUMMY_ENV, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL: proxy.endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const rows: ScenarioRow[] = [];
  try {
    for (const name of SCENARIO_NAMES) {
      process.stdout.write(`reliability: running ${name}...\n`);
      rows.push(await runScenario({ motoEndpoint: moto.endpoint, proxy }, name, FULL_SIZES));
    }
  } finally {
    await proxy.close();
    await moto.stop();
    process.env = saved;
  }
  process.stdout.write(`\nReliability scenarios (full size)\n${formatTable(rows)}\n`);
  if (rows.some((r) => !r.pass)) process.exitCode = 1;
}

// `tsx bench/reliability.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
