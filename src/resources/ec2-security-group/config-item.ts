import type { ConfigurationItem } from '../../events/config-item';
import { configString, configValue } from '../../events/config-item';
import { SECURITY_GROUP, type SecurityGroupSnapshot } from './snapshot';
import { securityGroupRef } from './ref';
import { list, rulesOfPermission, type Obj } from './permissions';

/** A security group from its AWS Config item (no rule ids: Config does not record them). */
export function securityGroupFromConfigItem(item: ConfigurationItem): SecurityGroupSnapshot {
  const c = item.configuration;
  const groupId = configString(c, 'groupId') ?? item.resourceId;
  const permissions = (key: string) => list(configValue(c, key)) as Obj[];
  return {
    type: SECURITY_GROUP,
    ref: securityGroupRef(item.account, item.region, groupId),
    groupId,
    rules: [
      ...permissions('ipPermissions').flatMap((p) => rulesOfPermission(p, false)),
      ...permissions('ipPermissionsEgress').flatMap((p) => rulesOfPermission(p, true)),
    ],
    tags: item.tags,
  };
}
