import pLimit from 'p-limit';
import type { AwsClients } from '../aws/clients';
import type { ResourceRef } from '../domain';
import type { Catalog } from './catalog';
import type { AnyResourceType } from './definitions';

/**
 * Who sends their failures to a resource (a Lambda DLQ or on-failure destination, an SNS
 * subscription redrive, an EventBridge target DLQ): no API answers that from the queue's
 * side, so the senders of its account and region are listed with their types' own
 * enumerators. Asked only for a violation whose policy `readsFailureSenders` on a snapshot
 * that does not know (an event, a Config item, a sweep that did not list every sender).
 */
export class FailureSenderLookupError extends Error {
  override readonly name = 'FailureSenderLookupError';
  constructor(
    message: string,
    readonly scope: { account: string; region: string },
  ) {
    super(message);
  }
}

export interface FailureSenderOptions {
  /** Most sender resources listed in one account and region before the lookup gives up. */
  maxListed?: number;
  /** Detail reads at once (the enumerators' per-resource calls). */
  concurrency?: number;
  /**
   * How long one listing answers later questions for the same account and region. Short:
   * a sender attached since would be missed, and a missed sender means a DLQ given a DLQ.
   */
  reuseMs?: number;
  now?: () => number;
}

export const FAILURE_SENDER_LIMITS = { maxListed: 5_000, concurrency: 8, reuseMs: 10_000 };

/** The catalog's types that can send failures elsewhere (each must have an enumerator). */
export function failureSenderTypes(catalog: Catalog): AnyResourceType[] {
  return [...catalog.resourceTypes.values()].filter((t) => t.failureDestinations);
}

type SendersByDestination = ReadonlyMap<string, readonly string[]>;

export class FailureSenders {
  private readonly listings = new Map<
    string,
    { at: number; senders: Promise<SendersByDestination> }
  >();
  private readonly limits: Required<Omit<FailureSenderOptions, 'now'>>;
  private readonly now: () => number;

  constructor(
    private readonly deps: { catalog: Catalog; clients: AwsClients },
    options: FailureSenderOptions = {},
  ) {
    const { now, ...limits } = options;
    this.limits = { ...FAILURE_SENDER_LIMITS, ...limits };
    this.now = now ?? Date.now;
  }

  /** The ARNs of the resources that send their failures to `destination`, sorted. */
  async sendersOf(destination: ResourceRef): Promise<string[]> {
    const senders = await this.listed(destination.account, destination.region);
    return [...(senders.get(destination.arn) ?? [])];
  }

  private listed(account: string, region: string): Promise<SendersByDestination> {
    const key = `${account}|${region}`;
    const now = this.now();
    const known = this.listings.get(key);
    if (known && now - known.at < this.limits.reuseMs) return known.senders;
    const senders = this.list(account, region);
    this.listings.set(key, { at: now, senders });
    // A failed listing is not reused: the next violation asks again.
    senders.catch(() => {
      if (this.listings.get(key)?.senders === senders) this.listings.delete(key);
    });
    return senders;
  }

  private async list(account: string, region: string): Promise<SendersByDestination> {
    const limit = pLimit(this.limits.concurrency);
    const byDestination = new Map<string, string[]>();
    let listed = 0;
    const scope = { account, region };
    await Promise.all(
      failureSenderTypes(this.deps.catalog).map(async (type) => {
        // The catalog refuses a sender type without an enumerator.
        for await (const sender of type.enumerate!.list(this.deps.clients, {
          ...scope,
          limit: (call) => limit(call),
        })) {
          if (++listed > this.limits.maxListed) {
            throw new FailureSenderLookupError(
              `more than ${this.limits.maxListed} possible failure senders in ${account} ${region}: not looked up`,
              scope,
            );
          }
          for (const destination of type.failureDestinations!(sender)) {
            const list = byDestination.get(destination) ?? [];
            list.push(sender.ref.arn);
            byDestination.set(destination, list);
          }
        }
      }),
    );
    for (const list of byDestination.values()) list.sort();
    return byDestination;
  }
}
