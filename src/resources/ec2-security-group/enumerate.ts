import { EC2Client, paginateDescribeSecurityGroups } from '@aws-sdk/client-ec2';
import type { ResourceEnumerator } from '../../engine/definitions';
import { tagMap } from '../shared';
import { rulesOfPermission, type Obj } from './permissions';
import { securityGroupRef } from './ref';
import { SECURITY_GROUP, type SecurityGroupSnapshot } from './snapshot';

/**
 * One paginated DescribeSecurityGroups (1,000 a page) for the whole region: each group with
 * its permissions and tags. The rules come from the permissions, without their `sgr-` ids
 * (DescribeSecurityGroupRules would read the same rules a second time): the remediator reads
 * the group's rules itself and revokes what matches by content.
 */
const rulesOf = (permissions: unknown[] | undefined, isEgress: boolean) =>
  (permissions ?? []).flatMap((p) => rulesOfPermission(p as Obj, isEgress));

export const securityGroupEnumerator: ResourceEnumerator<SecurityGroupSnapshot> = {
  readActions: ['ec2:DescribeSecurityGroups'],
  async *list(clients, scope) {
    const client = clients.get(EC2Client, scope);
    for await (const page of paginateDescribeSecurityGroups({ client }, { MaxResults: 1000 })) {
      const groups = page.SecurityGroups ?? [];
      scope.discovered?.(groups.length);
      for (const group of groups) {
        if (!group.GroupId) continue;
        yield {
          type: SECURITY_GROUP,
          ref: securityGroupRef(scope.account, scope.region, group.GroupId),
          groupId: group.GroupId,
          rules: [
            ...rulesOf(group.IpPermissions, false),
            ...rulesOf(group.IpPermissionsEgress, true),
          ],
          tags: tagMap(group.Tags),
        };
      }
    }
  },
};
