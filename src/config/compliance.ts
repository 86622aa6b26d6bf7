import * as z from 'zod';

const region = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as eu-west-1');
const account = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id');

/** How often the sweep and the digest run; the infrastructure turns these into schedules. */
export const SCHEDULES = ['hourly', 'daily', 'weekly'] as const;
export type Schedule = (typeof SCHEDULES)[number];

/** EventBridge Scheduler expressions for each schedule (06:00 UTC; weekly on Mondays). */
export const SCHEDULE_EXPRESSIONS: Record<Schedule, string> = {
  hourly: 'rate(1 hour)',
  daily: 'cron(0 6 * * ? *)',
  weekly: 'cron(0 6 ? * MON *)',
};

/**
 * `compliance:` in rampart.config.yaml — the periodic sweep, where its results are kept,
 * and the digest built from them.
 */
export const complianceSchema = z.strictObject({
  /**
   * DynamoDB table (partition key `pk`, sort key `sk`, both strings; TTL attribute `ttl`)
   * keeping sweep snapshots, the outcome history and past digests. Falls back on
   * RAMPART_HISTORY_TABLE; without either, nothing is kept (a local scan still works).
   */
  historyTable: z.string().min(3).max(255).optional(),
  /** Days history items are kept. */
  retentionDays: z.number().int().min(7).max(3650).default(400),
  sweep: z
    .strictObject({
      schedule: z.enum(SCHEDULES).default('daily'),
      /** Regions to sweep; empty: AWS_REGION (or the CLI's --region). */
      regions: z.array(region).default([]),
      /** Accounts to sweep; empty: the account of the credentials. */
      accounts: z.array(account).default([]),
      /** Most API calls in flight at once (describe calls per resource). */
      concurrency: z.number().int().min(1).max(64).default(16),
      /**
       * An AWS Config aggregator: regional types that Config records are listed with one
       * SelectAggregateResourceConfig query instead of describe calls per account and region,
       * and only candidates (violations in Config's view) are read live.
       */
      aggregator: z.strictObject({ name: z.string().min(1).max(256), region }).optional(),
    })
    .prefault({}),
  digest: z
    .strictObject({
      schedule: z.enum(['daily', 'weekly']).default('weekly'),
      /** Slack channel of the digest; defaults to `slack.channel`. */
      slackChannel: z
        .string()
        .regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123456789')
        .optional(),
      /** SNS topic for the e-mail digest (plain text); falls back on RAMPART_DIGEST_TOPIC_ARN. */
      snsTopicArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, 'expected an SNS topic ARN')
        .optional(),
      /** How many actors the "top actors" list shows. */
      topActors: z.number().int().min(1).max(50).default(5),
    })
    .prefault({}),
});

export type ComplianceSettings = z.output<typeof complianceSchema>;

export const HISTORY_TABLE_ENV = 'RAMPART_HISTORY_TABLE';
export const DIGEST_TOPIC_ENV = 'RAMPART_DIGEST_TOPIC_ARN';

/** Fills defaults; the table and topic fall back on the environment (set by the stack). */
export function complianceSettings(
  raw: z.input<typeof complianceSchema> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ComplianceSettings {
  const settings = complianceSchema.parse(raw ?? {});
  const historyTable = settings.historyTable ?? env[HISTORY_TABLE_ENV];
  const snsTopicArn = settings.digest.snsTopicArn ?? env[DIGEST_TOPIC_ENV];
  return {
    ...settings,
    ...(historyTable ? { historyTable } : {}),
    digest: { ...settings.digest, ...(snsTopicArn ? { snsTopicArn } : {}) },
  };
}
