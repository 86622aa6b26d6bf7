import type { AwsClients } from '../aws/clients';

export interface DemoContext {
  clients: AwsClients;
  account: string;
  region: string;
}

/** What a scenario seeded: the CloudTrail event its change would have emitted, and how to show state. */
export interface SeededScenario {
  /** EventBridge envelope of the CloudTrail event for the violating change. */
  event: unknown;
  /** One line per element of the violating resource's current state. */
  describe(): Promise<string[]>;
  /** The compliant twin, shown unchanged at the end (optional). */
  describeTwin?(): Promise<string[]>;
}

/**
 * One demo scenario per policy: seed a violation (and a compliant twin) in the emulated
 * account, return the matching event. The demo runner does the rest through the real evaluator.
 */
export interface DemoScenario {
  policyId: string;
  /** Short story line, e.g. "someone opens SSH to the world". */
  story: string;
  seed(ctx: DemoContext): Promise<SeededScenario>;
}
