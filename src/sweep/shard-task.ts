import * as z from 'zod';
import {
  ACCOUNT_ID,
  ACCOUNT_ID_EXPECTED,
  AWS_REGION,
  AWS_REGION_EXPECTED,
} from '../domain/identifiers';

/**
 * What the sweep's state machine hands its functions: the plan (one run over accounts ×
 * regions), and each shard's task and checkpoint. Parsed where they enter, so a hand-started
 * execution with a wrong field is refused with the field named, not half-run.
 */
const account = z.string().regex(ACCOUNT_ID, ACCOUNT_ID_EXPECTED);
const region = z.string().regex(AWS_REGION, AWS_REGION_EXPECTED);
const iso = z.iso.datetime();
const runId = z.string().regex(/^[0-9TZ]{15,24}-[0-9a-f]{8}$/, 'expected a sweep run id');

/** Parts one shard may store before it is failed: each invocation sweeps at least one unit. */
export const MAX_SHARD_PARTS = 100;

export const previousRunSchema = z
  .strictObject({
    runId,
    startedAt: iso,
    /** Its open keys are per shard (a fanned-out run), not one list for the run. */
    sharded: z.boolean().optional(),
  })
  .nullable();

export const sweepPlanSchema = z.strictObject({
  runId,
  startedAt: iso,
  previous: previousRunSchema,
  remediate: z.boolean(),
  /** At most 15,000 accounts: the plan travels in the state (256 KiB). */
  accounts: z.array(account).max(15_000),
  regions: z.array(region).min(1).max(40),
  /** Accounts in their grace period (notify only), for the summary and the digest. */
  grace: z.array(z.strictObject({ account, until: iso })).max(15_000),
});
export type SweepPlan = z.output<typeof sweepPlanSchema>;

export const shardTaskSchema = z.strictObject({
  runId,
  startedAt: iso,
  previous: previousRunSchema,
  remediate: z.boolean(),
  account,
  region,
  /** The region's place in the plan: the first region's shard also sweeps global types (IAM). */
  regionIndex: z.number().int().min(0).max(39),
  /** Set by the shard itself when it stops at its deadline; absent on the first invocation. */
  cursor: z
    .strictObject({
      done: z.array(z.string().max(128)).max(500),
      parts: z.number().int().min(1).max(MAX_SHARD_PARTS),
    })
    .optional(),
  /** Whether the shard has swept everything (the state machine's loop ends on true). */
  finished: z.boolean().optional(),
});
export type ShardTask = z.output<typeof shardTaskSchema>;

export class ShardInputError extends Error {
  override readonly name = 'ShardInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || '(top level)';
  throw new ShardInputError(`invalid ${what}: ${field}: ${issue.message}`, field);
}
