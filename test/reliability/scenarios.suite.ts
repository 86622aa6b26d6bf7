import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/local/fault-proxy';
import {
  CI_SIZES,
  formatTable,
  runScenario,
  type ScenarioEnv,
  type ScenarioRow,
} from './scenarios';

/** The reliability scenarios at CI size; prints the table, fails on any failed row. */
describe('reliability scenarios (CI size)', () => {
  const rows: ScenarioRow[] = [];
  let proxy: FaultProxy;
  let env: ScenarioEnv;
  const motoEndpoint = process.env.AWS_ENDPOINT_URL!;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: motoEndpoint, seed: 2026 });
    // Rampart reaches AWS only through the proxy; the scenarios' own checks go to moto.
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    env = { motoEndpoint, proxy };
  });
  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = motoEndpoint;
    await proxy.close();
    console.log(`\nReliability scenarios (CI sizes)\n${formatTable(rows)}\n`);
  });

  it('1. violations under 30% throttling/5xx: each reverted or dead-lettered with a reason, none lost, no collateral change', async () => {
    const row = await runScenario(env, 'faults', CI_SIZES);
    rows.push(row);
    expect(row.figures).toMatchObject({ lost: 0, collateral: 0, crashes: 0 });
    expect(row.figures.injected).toBeGreaterThan(0);
    expect(row.figures.reverted! + row.figures.inDlq!).toBe(CI_SIZES.faultEvents);
    expect(row.pass).toBe(true);
  });

  it('2. duplicates: exactly one revert and one notice per event', async () => {
    const row = await runScenario(env, 'duplicates', CI_SIZES);
    rows.push(row);
    expect(row.figures).toEqual({
      reverts: CI_SIZES.duplicateEvents,
      notices: CI_SIZES.duplicateEvents,
      deadLettered: 0,
    });
    expect(row.pass).toBe(true);
  });

  it('3. burst: every event processed, none dead-lettered, throughput reported', async () => {
    const row = await runScenario(env, 'burst', CI_SIZES);
    rows.push(row);
    expect(row.figures.processed).toBe(CI_SIZES.burstEvents);
    expect(row.figures.eventsPerSecond).toBeGreaterThan(0);
    expect(row.pass).toBe(true);
  });

  it('4. revert war: trips at K, escalates once, resumes after the cool-down', async () => {
    const row = await runScenario(env, 'revertWar', CI_SIZES);
    rows.push(row);
    expect(row.figures).toEqual({
      reverted: 3,
      escalated: 1,
      suppressed: CI_SIZES.warSeconds - 4,
    });
    expect(row.pass).toBe(true);
  });

  it('5. bad input: no crash, every item accounted for', async () => {
    const row = await runScenario(env, 'badInput', CI_SIZES);
    rows.push(row);
    expect(row.figures.crashes).toBe(0);
    expect(row.pass).toBe(true);
  });
});
