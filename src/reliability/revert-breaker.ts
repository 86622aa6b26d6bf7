import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReliabilitySettings } from '../config/reliability';
import type { Outcome } from '../domain';
import type { GuardSubject, RemediationGuard } from '../engine/evaluator';
import { errorMessage } from '../errors';

/** The breaker's state could not be read or written (after bounded retries). */
export class RevertBreakerError extends Error {
  override readonly name = 'RevertBreakerError';
  constructor(
    message: string,
    readonly resourceArn: string,
  ) {
    super(message);
  }
}

export interface RevertBreakerOptions {
  client: DynamoDBClient;
  tableName: string;
  settings: ReliabilitySettings['revertBreaker'];
  /** Injected for tests and simulated time; defaults to Date.now. */
  now?: () => number;
  /** Bound on optimistic-locking rounds when many Lambdas touch one resource at once. */
  maxAttempts?: number;
}

/** One item per resource: recent revert times, and when an open breaker closes again. */
interface BreakerItem {
  id: string;
  /** Epoch ms of reverts (or reverts in flight) inside the window. */
  reverts: number[];
  /** Epoch ms; the breaker is open while now < openUntil. 0 when closed. */
  openUntil: number;
  version: number;
  /** TTL (epoch seconds), the same attribute Powertools idempotency uses. */
  expiration: number;
}

const KEY_PREFIX = 'revert-breaker#';

/**
 * Stops a revert war: when something (a stack, Terraform, a script) keeps re-creating a
 * violation, Rampart reverts at most K times per resource within M minutes, then escalates
 * once and holds back (`suppressed`) until the cool-down ends. The state lives in DynamoDB
 * and every write is conditional on the version read, so concurrent Lambdas agree on the
 * count and exactly one of them escalates.
 */
export class RevertBreaker implements RemediationGuard {
  private readonly doc: DynamoDBDocumentClient;
  private readonly now: () => number;
  private readonly maxAttempts: number;

  constructor(private readonly options: RevertBreakerOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client);
    this.now = options.now ?? Date.now;
    this.maxAttempts = options.maxAttempts ?? 40;
  }

  private get windowMs() {
    return this.options.settings.windowMinutes * 60_000;
  }
  private get cooldownMs() {
    return this.options.settings.cooldownMinutes * 60_000;
  }

  async run(subject: GuardSubject, remediate: () => Promise<Outcome>): Promise<Outcome> {
    const arn = subject.resource.arn;
    let admission: Admission;
    try {
      admission = await this.admit(arn);
    } catch (error) {
      // Unknown state: do not revert blindly, fail so the event is retried (or dead-lettered).
      return held(subject, 'failed', `revert breaker unavailable: ${errorMessage(error)}`);
    }
    if (admission.kind !== 'admitted') return held(subject, admission.kind, admission.reason);

    const outcome = await remediate();
    if (outcome.status !== 'reverted') {
      // Only real reverts count: give the reserved slot back (best effort; over-counting
      // errs on the side of stopping earlier).
      await this.release(arn, admission.slot).catch(() => undefined);
    }
    return outcome;
  }

  /** Current state of a resource's breaker (for tests and operators). */
  async state(resourceArn: string): Promise<BreakerItem | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { id: KEY_PREFIX + resourceArn },
        ConsistentRead: true,
      }),
    );
    return out.Item as BreakerItem | undefined;
  }

  private async admit(arn: string): Promise<Admission> {
    const { maxReverts } = this.options.settings;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const current = await this.state(arn);
      const now = this.now();
      if (current && current.openUntil > now) {
        return {
          kind: 'suppressed',
          reason: `revert war on this resource: reverting is suspended until ${new Date(current.openUntil).toISOString()}`,
        };
      }
      // After a cool-down the count starts afresh.
      const since = Math.max(now - this.windowMs, current?.openUntil ?? 0);
      const recent = (current?.reverts ?? []).filter((t) => t > since);
      if (recent.length >= maxReverts) {
        const openUntil = now + this.cooldownMs;
        if (await this.write(arn, current, { reverts: recent, openUntil })) {
          return {
            kind: 'escalated',
            reason: `reverted ${recent.length} times within ${this.options.settings.windowMinutes} min: something keeps re-creating this violation; reverting is suspended until ${new Date(openUntil).toISOString()}`,
          };
        }
      } else if (await this.write(arn, current, { reverts: [...recent, now], openUntil: 0 })) {
        return { kind: 'admitted', slot: now };
      }
      await jitter(attempt);
    }
    throw new RevertBreakerError(
      `no consistent breaker update for ${arn} after ${this.maxAttempts} attempts`,
      arn,
    );
  }

  private async release(arn: string, slot: number): Promise<void> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const current = await this.state(arn);
      const index = current?.reverts.indexOf(slot) ?? -1;
      if (!current || index < 0) return;
      const reverts = current.reverts.filter((_, i) => i !== index);
      if (await this.write(arn, current, { reverts, openUntil: current.openUntil })) return;
      await jitter(attempt);
    }
  }

  /** Conditional on the version read: false when another writer got there first. */
  private async write(
    arn: string,
    current: BreakerItem | undefined,
    next: Pick<BreakerItem, 'reverts' | 'openUntil'>,
  ): Promise<boolean> {
    const now = this.now();
    const item: BreakerItem = {
      id: KEY_PREFIX + arn,
      ...next,
      version: (current?.version ?? 0) + 1,
      expiration: Math.ceil((Math.max(now, next.openUntil) + this.windowMs) / 1000),
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: item,
          ...(current
            ? {
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': current.version },
              }
            : {
                ConditionExpression: 'attribute_not_exists(#id)',
                ExpressionAttributeNames: { '#id': 'id' },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

type Admission =
  { kind: 'admitted'; slot: number } | { kind: 'escalated' | 'suppressed'; reason: string };

function held(
  subject: GuardSubject,
  status: 'escalated' | 'suppressed' | 'failed',
  reason: string,
): Outcome {
  return {
    policyId: subject.decision.policyId,
    remediatorId: subject.decision.remediatorId,
    status,
    changes: [],
    timings: subject.timings,
    ...(status === 'failed' ? { error: reason } : { reason }),
  };
}

/** Small random pause so that contending writers do not collide in lockstep. */
function jitter(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(10 * 2 ** Math.min(attempt, 4), 100);
  return new Promise((r) => setTimeout(r, ms));
}
