import type { z } from 'zod';
import type { AwsClients } from '../aws/clients';
import type {
  Finding,
  Mode,
  OffendingElement,
  ResourceLocator,
  ResourceRef,
  Violation,
} from '../domain';
import type { CloudTrailRecord } from '../events/cloudtrail';
import type { ConfigurationItem } from '../events/config-item';
import type { ResolvedTemplate, TemplateSubject } from '../cloudformation/resolved';
import type { ControlRef } from './frameworks';

/** Every normalized snapshot carries its type and reference; the rest is per resource type. */
export interface Snapshot {
  type: string;
  ref: ResourceRef;
  /**
   * Resources that send their failures here (a Lambda DLQ or on-failure destination, an SNS
   * redrive, an EventBridge target DLQ), when the input knew: set by the sweep from the
   * types it lists, or by the evaluator's lookup of the senders (never by a collector).
   * Undefined: not known; empty: none.
   */
  failuresOf?: string[];
}

/** Where the sweep lists resources, and the limits it lists them within. */
export interface EnumerationScope {
  account: string;
  region: string;
  /**
   * Runs one API call under the sweep's shared concurrency bound. Enumerators wrap every
   * per-resource detail call in it; the list calls of one type run one page after another.
   */
  limit<T>(call: () => Promise<T>): Promise<T>;
  /** Told how many resources a list page found, before their details are read (progress). */
  discovered?(count: number): void;
}

/**
 * Lists every resource of a type (the periodic sweep), with calls that return as much as
 * possible each, as the same normalized snapshots `collect` builds.
 */
export interface ResourceEnumerator<S extends Snapshot = Snapshot> {
  /** Global services (IAM) are listed once per account, in `region` = the partition's home. */
  global?: boolean;
  /** IAM actions the listing needs (read-only). */
  readActions: readonly string[];
  list(clients: AwsClients, scope: EnumerationScope): AsyncIterable<S>;
}

/** How one CloudTrail event name points at the resources it changed. */
export type CloudTrailLocator = (
  record: CloudTrailRecord,
  where: { account: string; region: string },
) => ResourceLocator[];

/** `service:Action`, no wildcard: the only form an IAM action is declared or granted in. */
export const IAM_ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/**
 * Where writes of one IAM service may act in one account: the ARN patterns of the resources
 * (names wildcarded, since targets are found at run time), with the reason cdk-nag is told.
 */
export interface IamScope {
  /** IAM service prefix, e.g. `ec2` (the prefix of every action of the service). */
  service: string;
  arns(partition: string, account: string): string[];
  /**
   * For services whose ARNs name no account (S3 buckets): the condition key that holds the
   * grant to the account's own resources (`s3:ResourceAccount`), granted as StringEquals.
   */
  accountConditionKey?: string;
  reason: string;
}

/**
 * A resource type: everything Rampart knows about it, in one place — its service, where
 * writes on it are granted, the AWS Config and CloudFormation types it covers, its adapters
 * (event → locator, live state / Config item / template → snapshot) and its sweep
 * enumerator. Infrastructure, IAM, event patterns and docs derive from these declarations;
 * the engine only ever talks to this interface.
 */
export interface ResourceTypeDefinition<S extends Snapshot = Snapshot> {
  type: S['type'];
  /** CloudTrail eventSource of the service, e.g. `ec2.amazonaws.com`. */
  eventSource: string;
  /** The IAM service and the ARNs its remediators' writes are granted on. */
  iam: IamScope;
  /**
   * AWS Config resource types this type reads items of (exactly as Config names them:
   * `AWS::RDS::DBInstance`, never Rampart's own type name). Empty only with
   * `configNotRecorded` saying why.
   */
  configResourceTypes: readonly string[];
  /** Why AWS Config has no items for this type (required when `configResourceTypes` is empty). */
  configNotRecorded?: string;
  /**
   * The ASFF `Resources[].Type` of a finding on this resource (`AwsEc2SecurityGroup`, or
   * `Other` where Security Hub has no type for it, as for SNS subscriptions).
   */
  securityHubType: string | ((ref: ResourceRef) => string);
  /** CloudFormation resource types `fromTemplate` reads. */
  cloudFormationTypes: readonly string[];
  /** Event names this type can locate resources from. */
  cloudTrail: Record<string, CloudTrailLocator>;
  /** Event names of this service that never change what policies judge, with why. */
  ignoredEvents?: Record<string, string>;
  /** IAM actions `collect` needs (read-only). */
  readActions: readonly string[];
  /** Reads the resource's current state; undefined when it no longer exists. */
  collect(clients: AwsClients, locator: ResourceLocator): Promise<S | undefined>;
  /**
   * Reads the tags of a snapshot built without them (`collect` or the enumerator skips a call
   * the verdict does not need); the evaluator calls it only for a violation, when an exception
   * could match on a tag or the policy `readsTags`. Its actions belong in `readActions`.
   */
  readTags?(clients: AwsClients, snapshot: S): Promise<Record<string, string>>;
  /** Builds the snapshot from an AWS Config configuration item, without any API call. */
  fromConfigItem?(item: ConfigurationItem): S;
  /**
   * Builds snapshots from a CloudFormation template (shift-left). Takes the whole template
   * because relations matter (a queue another queue redrives to is a DLQ).
   */
  fromTemplate?(template: ResolvedTemplate): TemplateSubject<S>[];
  /** Lists every resource of the type in an account and region (the periodic sweep). */
  enumerate?: ResourceEnumerator<S>;
  /**
   * Where this resource sends what it fails to deliver or process (queue ARNs): the sweep
   * tells those resources (`failuresOf`), so a dead-letter queue is known by its role.
   */
  failureDestinations?(snapshot: S): string[];
  /** Its snapshots can be such a destination: judged once the senders are known. */
  receivesFailures?: boolean;
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const PILLARS = [
  'security',
  'reliability',
  'operational-excellence',
  'cost-optimization',
  'performance-efficiency',
  'sustainability',
] as const;

/**
 * A policy's verdict on one snapshot: compliant, non-compliant with a finding, or not
 * applicable with the reason (an Aurora member instance, a queue that is itself a dead-letter
 * queue): counted apart from both. `compliant: null` makes every consumer say what it does
 * with it (a truthiness test does not silently count it as compliant or as a violation).
 */
export type PolicyVerdict =
  | { compliant: true }
  | { compliant: false; finding: Finding }
  | { compliant: null; notApplicable: string };

export function notApplicable(reason: string): PolicyVerdict {
  return { compliant: null, notApplicable: reason };
}

/** A policy: metadata next to a pure check of one snapshot. */
export interface PolicyDefinition<S extends Snapshot = Snapshot, P = unknown> {
  /** Stated explicitly: bundling loses file names. */
  id: string;
  title: string;
  description: string;
  rationale: string;
  severity: (typeof SEVERITIES)[number];
  pillar: (typeof PILLARS)[number];
  /**
   * The framework controls this policy checks (AWS Foundational Security Best Practices,
   * CIS AWS Foundations, Well-Architected best practices): at least one. Security Hub,
   * SARIF, docs and the digest carry them.
   */
  controls: readonly ControlRef[];
  resourceType: S['type'];
  /** CloudTrail event names (of the resource type's service) that trigger a re-evaluation. */
  triggers: readonly string[];
  defaultMode: Mode;
  /** Parameter schema; its defaults are the documented defaults. Must be strict. */
  parameters: z.ZodType<P>;
  /** The remediator that reverts a violation; absent when none is possible in place. */
  remediatorId?: string;
  /**
   * Why the verdict can turn on the resource's tags, if it can. A listing may leave tags out
   * (the sweep reads them only where they matter): a violation found on a snapshot without
   * them is judged again once its type's `readTags` has read them, before anything is done.
   */
  readsTags?: string;
  /**
   * Why the verdict can turn on who sends their failures to the resource (`failuresOf`), if
   * it can. Only the sweep's listings know; a violation found on a snapshot without it (an
   * event, a Config item) is judged again once the senders in its account and region are
   * listed, before anything is done. Its type must `receivesFailures`.
   */
  readsFailureSenders?: string;
  evaluate(snapshot: S, params: P): PolicyVerdict;
}

export interface RemediationContext<S extends Snapshot = Snapshot> {
  clients: AwsClients;
  /** The snapshot the violation was found on, read moments ago. */
  snapshot: S;
  violation: Violation;
}

export interface RemediationResult {
  status: 'reverted' | 'already-compliant' | 'failed';
  changes: string[];
  before: unknown;
  after: unknown;
  error?: string;
}

/** An IAM condition block: operator → condition key → value(s). */
export type IamCondition = Readonly<
  Record<string, Readonly<Record<string, string | readonly string[]>>>
>;

/** The only code that writes to AWS. Minimal, idempotent, verified. */
export interface RemediatorDefinition<S extends Snapshot = Snapshot> {
  id: string;
  description: string;
  resourceType: S['type'];
  /** IAM actions it needs, as data: the infrastructure grants exactly these. */
  iamActions: { read: readonly string[]; write: readonly string[] };
  /**
   * Conditions AWS offers to narrow some of those actions (e.g. `kms:CreateGrant` only for
   * an AWS resource, through one service): granted in a statement of their own.
   */
  iamConditions?: Readonly<Record<string, IamCondition>>;
  /**
   * Resources of other types it writes (the dead-letter queue it creates, the key grant it
   * makes): their scopes, so every write action it declares has a granted scope.
   */
  alsoWrites?: readonly IamScope[];
  /**
   * Declared actions Rampart never sends itself: AWS checks them on its behalf during another
   * call (DynamoDB creates the KMS grant of a table's new key during UpdateTable), each with
   * that call. The IAM proof does not expect to see them sent.
   */
  impliedActions?: Readonly<Record<string, string>>;
  remediate(ctx: RemediationContext<S>): Promise<RemediationResult>;
}

/** Policies and remediators are written against their own snapshot type; the registry erases it. */
export type AnyPolicy = PolicyDefinition<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type AnyRemediator = RemediatorDefinition<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type AnyResourceType = ResourceTypeDefinition<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function definePolicy<S extends Snapshot, P>(
  p: PolicyDefinition<S, P>,
): PolicyDefinition<S, P> {
  return p;
}
export function defineRemediator<S extends Snapshot>(
  r: RemediatorDefinition<S>,
): RemediatorDefinition<S> {
  return r;
}
export function defineResourceType<S extends Snapshot>(
  t: ResourceTypeDefinition<S>,
): ResourceTypeDefinition<S> {
  return t;
}

export type { OffendingElement };
