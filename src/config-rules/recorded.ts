import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  ListDiscoveredResourcesCommand,
  type ResourceKey,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { AwsClients } from '../aws/clients';
import { normaliseConfigurationItem, type ConfigurationItem } from '../events/config-item';
import { pages } from '../resources/enumeration';

/** Resources of one type a periodic invocation judges; more is an error, never a partial "all". */
export const MAX_RECORDED_PER_TYPE = 10_000;
/** Both calls answer at most 100 per request. */
const PAGE = 100;
/** Rounds of BatchGetResourceConfig for keys Config left unprocessed (throttling). */
const UNPROCESSED_ROUNDS = 3;

/** Config's inventory of a type could not be read in full. */
export class RecordedResourcesError extends Error {
  override readonly name = 'RecordedResourcesError';
  constructor(
    message: string,
    readonly resourceType: string,
  ) {
    super(message);
  }
}

/**
 * Every resource AWS Config records of one type in the rule's account and region, as
 * configuration items: ListDiscoveredResources for the keys (Config's own resource ids),
 * BatchGetResourceConfig for the items, 100 at a time.
 */
export async function* listRecordedItems(
  clients: AwsClients,
  scope: { account: string; region: string },
  resourceType: string,
): AsyncGenerator<ConfigurationItem> {
  const config = clients.get(ConfigServiceClient, scope);
  let listed = 0;
  for await (const page of pages(
    (nextToken) =>
      config.send(
        new ListDiscoveredResourcesCommand({
          resourceType: resourceType as ResourceType,
          limit: PAGE,
          nextToken,
        }),
      ),
    (p) => p.nextToken,
    Math.ceil(MAX_RECORDED_PER_TYPE / PAGE) + 1,
  )) {
    const keys = (page.resourceIdentifiers ?? []).flatMap((r): ResourceKey[] =>
      r.resourceId
        ? [{ resourceType: resourceType as ResourceType, resourceId: r.resourceId }]
        : [],
    );
    listed += keys.length;
    if (listed > MAX_RECORDED_PER_TYPE) {
      throw new RecordedResourcesError(
        `more than ${MAX_RECORDED_PER_TYPE} ${resourceType} resources recorded; the periodic evaluation judges at most that many`,
        resourceType,
      );
    }
    yield* batchGet(config, keys, resourceType);
  }
}

async function* batchGet(
  config: ConfigServiceClient,
  keys: ResourceKey[],
  resourceType: string,
): AsyncGenerator<ConfigurationItem> {
  let pending = keys;
  for (let round = 0; round < UNPROCESSED_ROUNDS && pending.length > 0; round++) {
    const out = await config.send(new BatchGetResourceConfigCommand({ resourceKeys: pending }));
    for (const [i, raw] of (out.baseConfigurationItems ?? []).entries()) {
      yield normaliseConfigurationItem(raw, `BatchGetResourceConfig.baseConfigurationItems[${i}]`);
    }
    pending = out.unprocessedResourceKeys ?? [];
  }
  if (pending.length > 0) {
    throw new RecordedResourcesError(
      `BatchGetResourceConfig left ${pending.length} ${resourceType} key(s) unprocessed after ${UNPROCESSED_ROUNDS} rounds: ${pending
        .slice(0, 5)
        .map((k) => k.resourceId)
        .join(', ')}`,
      resourceType,
    );
  }
}
