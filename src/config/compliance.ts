import * as z from 'zod';
import {
  ACCOUNT_ID,
  ACCOUNT_ID_EXPECTED,
  AWS_REGION,
  AWS_REGION_EXPECTED,
} from '../domain/identifiers';

const region = z.string().regex(AWS_REGION, AWS_REGION_EXPECTED);
const account = z.string().regex(ACCOUNT_ID, ACCOUNT_ID_EXPECTED);

/** How often the digest goes out: the one setting for both when it runs and what it covers. */
export const DIGEST_SCHEDULES = ['daily', 'weekly'] as const;
export type DigestSchedule = (typeof DIGEST_SCHEDULES)[number];

/** EventBridge Scheduler expressions the infrastructure deploys (06:00 UTC; weekly on Mondays). */
export const DIGEST_SCHEDULE_EXPRESSIONS: Record<DigestSchedule, string> = {
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
      /** Regions to sweep; empty: AWS_REGION (or the CLI's --region). */
      regions: z.array(region).default([]),
      /**
       * Accounts to sweep; empty: the account of the credentials. Other accounts are read
       * through the cross-account role the clients assume (RAMPART_REMEDIATION_ROLE_NAME).
       */
      accounts: z.array(account).default([]),
      /**
       * Detail reads and remediations in flight at once; listings (one per type, account and
       * region, their pages in order) run beside them, at most as many again.
       */
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
      schedule: z.enum(DIGEST_SCHEDULES).default('weekly'),
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
