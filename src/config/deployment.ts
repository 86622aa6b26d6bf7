import * as z from 'zod';
import {
  ACCOUNT_ID,
  ACCOUNT_ID_EXPECTED,
  AWS_REGION,
  AWS_REGION_EXPECTED,
} from '../domain/identifiers';

/**
 * The `deployment` section of rampart.config.yaml: where and how the CDK app in `infra/`
 * deploys Rampart. The engine never reads it; the infrastructure does.
 */
const accountId = z.string().regex(ACCOUNT_ID, ACCOUNT_ID_EXPECTED);
const region = z.string().regex(AWS_REGION, AWS_REGION_EXPECTED);
const ouId = z
  .string()
  .regex(
    /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
    'expected an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)',
  );
/** EventBridge Scheduler expressions: `rate(1 day)`, `cron(0 9 ? * MON-FRI *)`. */
const scheduleExpression = z
  .string()
  .regex(
    /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/,
    'expected rate(<n> minutes|hours|days) or cron(<6 fields>)',
  );

export const deploymentSchema = z
  .strictObject({
    /** Account of the central stack; absent = env-agnostic (the CLI's credentials decide). */
    centralAccount: accountId.optional(),
    /** Region of the central stack (queue, evaluator, bus that members forward to). */
    centralRegion: region.default('us-east-1'),
    /** Only principals of this organization may put events on the central bus. */
    organizationId: z
      .string()
      .regex(/^o-[a-z0-9]{10,32}$/, 'expected an organization id (o-xxxxxxxxxx)')
      .optional(),
    /** Where the member stacks go (service-managed StackSets target OUs; accounts for tests). */
    targets: z
      .strictObject({
        organizationalUnits: z.array(ouId).default([]),
        accounts: z.array(accountId).default([]),
      })
      .prefault({}),
    /** Regions whose events are forwarded to the central bus. */
    regions: z.array(region).min(1).optional(),
    evaluator: z
      .strictObject({
        /** Caps concurrent remediations so a burst of events cannot exhaust API quotas. */
        reservedConcurrency: z.number().int().min(1).max(1000).default(5),
        memorySize: z.number().int().min(128).max(10240).default(512),
        timeoutSeconds: z.number().int().min(10).max(900).default(60),
        /** SQS batch size; partial batch responses keep one bad record from failing the rest. */
        batchSize: z.number().int().min(1).max(10000).default(10),
        /** Receives before a message goes to the dead-letter queue. */
        maxReceiveCount: z.number().int().min(1).max(1000).default(5),
        /** Stack traces in TypeScript terms, at a cold-start cost (NODE_OPTIONS=--enable-source-maps). */
        sourceMaps: z.boolean().default(false),
      })
      .prefault({}),
    alarms: z
      .strictObject({
        /** Subscribed to the alarm topic (the subscription must be confirmed from the mail). */
        email: z.email('expected an email address').optional(),
      })
      .prefault({}),
    slack: z
      .strictObject({
        /**
         * Deploys the Slack Lambda behind a Function URL, and its credentials secret. The
         * channel and approvers come from the top-level `slack:` section.
         */
        enabled: z.boolean().default(false),
      })
      .prefault({}),
    /**
     * Deploys one AWS Config custom rule per enabled policy of a type Config records, with
     * Rampart's rule function (detective: it puts evaluations, never remediates), in the
     * central account and region. Needs an AWS Config recorder there.
     */
    configRules: z.boolean().default(false),
    schedules: z
      .strictObject({
        sweep: scheduleExpression.default('rate(1 day)'),
      })
      .prefault({}),
    /** With `organization:`: the member StackSets (infra/stack-sets.ts). */
    stackSets: z
      .strictObject({
        /** SELF from the management account; DELEGATED_ADMIN from a StackSets delegated administrator. */
        callAs: z.enum(['SELF', 'DELEGATED_ADMIN']).default('SELF'),
        /** Accounts deployed at once, as a share of each OU's. */
        maxConcurrentPercentage: z.number().int().min(1).max(100).default(25),
        /** Accounts that may fail per region before the rollout stops. */
        failureTolerancePercentage: z.number().int().min(0).max(100).default(10),
      })
      .prefault({}),
    /** The sweep's state machine: one shard per account × region (infra/sweep-fan-out.ts). */
    sweep: z
      .strictObject({
        /** Accounts swept at once (the Distributed Map's MaxConcurrency). */
        accountsAtOnce: z.number().int().min(1).max(1000).default(40),
        /**
         * Regions of one account swept at once: with compliance.sweep.concurrency calls each,
         * what Rampart adds to a member account's own API use at most.
         */
        shardsPerAccount: z.number().int().min(1).max(40).default(2),
      })
      .prefault({}),
  })
  .prefault({});

export type DeploymentSettings = z.output<typeof deploymentSchema> & { regions: string[] };

/** Fills what the schema cannot default on its own (regions default to the central one). */
export function deploymentSettings(parsed: z.output<typeof deploymentSchema>): DeploymentSettings {
  return { ...parsed, regions: parsed.regions ?? [parsed.centralRegion] };
}
