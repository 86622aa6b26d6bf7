import {
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import type { AwsClients } from '../aws/clients';
import type { ResourceLocator } from '../domain';
import type { AnyPolicy, AnyResourceType, Snapshot } from '../engine/definitions';
import { errorMessage } from '../errors';
import { DELETED_STATUSES, normaliseConfigurationItem } from '../events/config-item';
import { pages } from '../resources/enumeration';

/** IAM actions of the aggregator path (on top of each candidate type's `readActions`). */
export const AGGREGATOR_READ_ACTIONS = ['config:SelectAggregateResourceConfig'] as const;

/** The AWS Config aggregator to query, and which accounts and regions the sweep covers. */
export interface AggregatorSource {
  name: string;
  /** The region the aggregator lives in (queries go there). */
  region: string;
  /** Accounts to keep; empty: every account the aggregator knows. */
  accounts: readonly string[];
  /** Regions to keep; empty: every region. */
  regions: readonly string[];
}

export interface AggregatorHandlers {
  limit<T>(call: () => Promise<T>): Promise<T>;
  discovered(resourceType: string, count: number): void;
  /** True when Config's view of the resource breaks an enabled policy (or cannot be judged). */
  candidate(snapshot: Snapshot, policies: readonly AnyPolicy[]): boolean;
  /** A live snapshot of a candidate: judged and acted on like any other. */
  judge(snapshot: Snapshot, policies: readonly AnyPolicy[]): void;
  /** Compliant in Config's view: counted without any live read. */
  compliantInConfig(snapshot: Snapshot, policies: readonly AnyPolicy[]): void;
  failed(error: unknown, where: { account: string; region: string; resourceType: string }): void;
}

/** The properties fromConfigItem adapters read (the advanced query returns only what is asked). */
const SELECTED = [
  'resourceId',
  'resourceName',
  'resourceType',
  'arn',
  'accountId',
  'awsRegion',
  'configurationItemStatus',
  'configurationItemCaptureTime',
  'configuration',
  'supplementaryConfiguration',
  'tags',
];

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The advanced query listing every recorded resource of the given Config types in scope. */
export function aggregatorQuery(
  configTypes: readonly string[],
  source: Pick<AggregatorSource, 'accounts' | 'regions'>,
): string {
  const where = [`resourceType IN (${configTypes.map(quote).join(', ')})`];
  if (source.accounts.length > 0)
    where.push(`accountId IN (${source.accounts.map(quote).join(', ')})`);
  if (source.regions.length > 0)
    where.push(`awsRegion IN (${source.regions.map(quote).join(', ')})`);
  return `SELECT ${SELECTED.join(', ')} WHERE ${where.join(' AND ')}`;
}

/** Advanced-query rows carry tags as `[{ key, value }]`; configuration items as a map. */
function tagsOfRow(tags: unknown): Record<string, string> | undefined {
  if (!Array.isArray(tags)) return undefined;
  return Object.fromEntries(
    tags
      .filter((t): t is { key: string; value?: string } => typeof t?.key === 'string')
      .map((t) => [t.key, t.value ?? '']),
  );
}

/**
 * The scale path: one paginated SelectAggregateResourceConfig lists every recorded resource
 * of the types that can be judged from a configuration item, in every account and region of
 * the aggregator. Config's view only selects candidates: a resource it shows breaking a
 * policy is read live (`collect`), and the decision rests on that read.
 */
export async function listFromAggregator(
  clients: AwsClients,
  source: AggregatorSource,
  types: readonly { type: AnyResourceType; policies: AnyPolicy[] }[],
  handlers: AggregatorHandlers,
): Promise<void> {
  const byConfigType = new Map<string, { type: AnyResourceType; policies: AnyPolicy[] }>();
  for (const t of types) {
    for (const c of t.type.configResourceTypes) byConfigType.set(c, t);
  }
  const client = clients.get(ConfigServiceClient, { region: source.region });
  const expression = aggregatorQuery([...byConfigType.keys()], source);
  const reads: Promise<void>[] = [];
  for await (const page of pages(
    (NextToken) =>
      client.send(
        new SelectAggregateResourceConfigCommand({
          ConfigurationAggregatorName: source.name,
          Expression: expression,
          Limit: 100,
          NextToken,
        }),
      ),
    (p) => p.NextToken,
  )) {
    for (const row of page.Results ?? []) {
      let raw: Record<string, unknown>;
      try {
        raw = JSON.parse(row) as Record<string, unknown>;
      } catch (error) {
        handlers.failed(new Error(`unreadable aggregator row: ${errorMessage(error)}`), {
          account: '(aggregator)',
          region: source.region,
          resourceType: '(unknown)',
        });
        continue;
      }
      const where = {
        account: String(raw.accountId ?? '(unknown)'),
        region: String(raw.awsRegion ?? source.region),
        resourceType: String(raw.resourceType ?? '(unknown)'),
      };
      const entry = byConfigType.get(where.resourceType);
      if (!entry) continue; // a type the query did not ask for
      if ((DELETED_STATUSES as readonly string[]).includes(String(raw.configurationItemStatus)))
        continue;
      handlers.discovered(entry.type.type, 1);
      let snapshot: Snapshot;
      try {
        const tags = tagsOfRow(raw.tags);
        const item = normaliseConfigurationItem(
          { ...raw, ...(tags ? { tags } : {}) },
          'SelectAggregateResourceConfig.Results[]',
        );
        snapshot = entry.type.fromConfigItem!(item);
      } catch (error) {
        handlers.failed(error, where);
        continue;
      }
      if (!handlers.candidate(snapshot, entry.policies)) {
        handlers.compliantInConfig(snapshot, entry.policies);
        continue;
      }
      const locator: ResourceLocator = {
        type: entry.type.type,
        account: where.account,
        region: where.region,
        id: String(raw.resourceId),
        ...(typeof raw.resourceName === 'string' ? { name: raw.resourceName } : {}),
      };
      reads.push(
        handlers
          .limit(() => entry.type.collect(clients, locator))
          .then(
            (live) => {
              if (live) handlers.judge(live, entry.policies); // else deleted since Config saw it
            },
            (error: unknown) => handlers.failed(error, where),
          ),
      );
    }
  }
  await Promise.all(reads);
}
