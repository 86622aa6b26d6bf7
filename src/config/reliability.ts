import * as z from 'zod';

/**
 * `reliability:` in rampart.config.yaml — duplicate suppression and the revert-war
 * breaker. Both keep their state in one DynamoDB table; without a table name (neither
 * here nor in RAMPART_STATE_TABLE) both are off, which is what the CLI wants locally.
 */
export const reliabilitySchema = z.strictObject({
  /** DynamoDB table (partition key `id`, string) for idempotency records and breaker state. */
  stateTable: z.string().min(3).max(255).optional(),
  idempotency: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** How long a handled event is remembered; redeliveries later than this run again. */
      expiresAfterSeconds: z
        .number()
        .int()
        .min(60)
        .max(7 * 24 * 3600)
        .default(3600),
    })
    .prefault({}),
  revertBreaker: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** K: reverts of one resource allowed within the window before the breaker trips. */
      maxReverts: z.number().int().min(1).max(100).default(3),
      /** M: the sliding window, in minutes. */
      windowMinutes: z
        .number()
        .min(1)
        .max(24 * 60)
        .default(10),
      /** How long reverting stays suspended after a trip. */
      cooldownMinutes: z
        .number()
        .min(1)
        .max(7 * 24 * 60)
        .default(60),
    })
    .prefault({}),
});

export type ReliabilitySettings = z.output<typeof reliabilitySchema>;

export const STATE_TABLE_ENV = 'RAMPART_STATE_TABLE';

/** Fills defaults; the table name falls back on RAMPART_STATE_TABLE (set by the stack). */
export function reliabilitySettings(
  raw: z.input<typeof reliabilitySchema> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ReliabilitySettings {
  const settings = reliabilitySchema.parse(raw ?? {});
  const fromEnv = env[STATE_TABLE_ENV];
  return settings.stateTable || !fromEnv ? settings : { ...settings, stateTable: fromEnv };
}
