import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { ResourceLocator, TriggerEvent } from '../domain';
import {
  DELETED_STATUSES,
  normaliseConfigurationItem,
  type ConfigItemChange,
  type ConfigurationItem,
} from '../events/config-item';
import type { EventEnvelope } from '../events/cloudtrail';
import type { Catalog } from './catalog';
import type { AnyPolicy, AnyResourceType } from './definitions';

/** An oversized item could not be fetched back from AWS Config. */
export class ConfigItemFetchError extends Error {
  override readonly name = 'ConfigItemFetchError';
  constructor(
    message: string,
    readonly resourceType: string,
    readonly resourceId: string,
  ) {
    super(message);
  }
}

/** IAM actions the Config input path needs besides the resource types' own read actions. */
export const CONFIG_INPUT_READ_ACTIONS = ['config:GetResourceConfigHistory'] as const;

export const CONFIG_EVENT_NAME = 'ConfigurationItemChangeNotification';
export const CONFIG_EVENT_SOURCE = 'config.amazonaws.com';

export type ConfigRoute =
  | {
      status: 'skip';
      code: 'resource-deleted' | 'not-recorded' | 'unwatched-resource-type' | 'no-trigger';
      eventId: string;
      reason: string;
    }
  | {
      status: 'route';
      trigger: TriggerEvent;
      locator: ResourceLocator;
      /** The resource type, reading its snapshot from the item instead of describing it. */
      type: AnyResourceType;
      policies: AnyPolicy[];
    };

/** Fetches the latest item of an oversized notification (GetResourceConfigHistory, newest first). */
export async function fetchConfigurationItem(
  clients: AwsClients,
  scope: { account: string; region: string },
  resourceType: string,
  resourceId: string,
): Promise<ConfigurationItem> {
  const out = await clients.get(ConfigServiceClient, scope).send(
    new GetResourceConfigHistoryCommand({
      resourceType: resourceType as ResourceType,
      resourceId,
      limit: 1,
    }),
  );
  const raw = out.configurationItems?.[0];
  if (!raw) {
    throw new ConfigItemFetchError(
      `GetResourceConfigHistory returned no item for ${resourceType} ${resourceId}`,
      resourceType,
      resourceId,
    );
  }
  return normaliseConfigurationItem(raw, 'GetResourceConfigHistory.configurationItems[0]');
}

/**
 * Routes a "Config Configuration Item Change" event: which resource type, which enabled
 * policies (all of the type's: Config reports state, not a specific API call), and a
 * snapshot built from the item with the type's `fromConfigItem`. Types without one (their
 * item lacks what the policy judges) and oversized items read through the usual paths.
 */
export function routeConfigItemChange(
  deps: { catalog: Catalog; config: RampartConfig; clients: AwsClients },
  envelope: EventEnvelope,
  change: ConfigItemChange,
): ConfigRoute {
  const head = change.kind === 'item' ? change.item : change.summary;
  const eventId =
    envelope.id ?? `${head.resourceType}/${head.resourceId}/${head.configurationStateId ?? ''}`;
  const what = `${head.resourceType} ${head.resourceId}`;
  if ((DELETED_STATUSES as readonly string[]).includes(head.status)) {
    return { status: 'skip', code: 'resource-deleted', eventId, reason: `${what} was deleted` };
  }
  if (head.status === 'ResourceNotRecorded') {
    return { status: 'skip', code: 'not-recorded', eventId, reason: `${what} is not recorded` };
  }
  const type = deps.catalog.typeForConfigType(head.resourceType);
  if (!type) {
    return {
      status: 'skip',
      code: 'unwatched-resource-type',
      eventId,
      reason: `no policy watches ${head.resourceType}`,
    };
  }
  const policies = deps.catalog
    .policiesFor(type.type)
    .filter((p) => deps.config.policies[p.id]?.enabled);
  if (policies.length === 0) {
    return {
      status: 'skip',
      code: 'no-trigger',
      eventId,
      reason: `no enabled policy judges ${type.type}`,
    };
  }
  const locator: ResourceLocator = {
    type: type.type,
    account: head.account,
    region: head.region,
    id: head.resourceId,
    ...(change.kind === 'item' && change.item.resourceName
      ? { name: change.item.resourceName }
      : {}),
  };
  const snapshotOf = async (item: ConfigurationItem) =>
    type.fromConfigItem
      ? type.fromConfigItem(item)
      : type.collect(deps.clients, { ...locator, id: item.resourceName ?? item.resourceId });
  const fromItem: AnyResourceType = {
    ...type,
    collect: async () =>
      snapshotOf(
        change.kind === 'item'
          ? change.item
          : await fetchConfigurationItem(deps.clients, head, head.resourceType, head.resourceId),
      ),
  };
  return {
    status: 'route',
    locator,
    type: fromItem,
    policies,
    trigger: {
      source: 'config',
      eventId,
      eventName: CONFIG_EVENT_NAME,
      eventSource: CONFIG_EVENT_SOURCE,
      eventTime: head.captureTime,
    },
  };
}
