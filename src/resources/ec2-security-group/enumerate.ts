import {
  EC2Client,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import type { ResourceEnumerator } from '../../engine/definitions';
import { tagMap } from '../shared';
import { ruleFromApi } from './index';
import { securityGroupRef } from './ref';
import { SECURITY_GROUP, type SecurityGroupRule, type SecurityGroupSnapshot } from './snapshot';

/**
 * Two listings for the whole region, whatever the number of groups: every rule (one
 * unfiltered, paginated DescribeSecurityGroupRules, grouped by group id) and every group id
 * (DescribeSecurityGroups, which also names the groups without any rule). Both run at once.
 */
export const securityGroupEnumerator: ResourceEnumerator<SecurityGroupSnapshot> = {
  readActions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
  async *list(clients, scope) {
    const client = clients.get(EC2Client, scope);
    const listGroups = async () => {
      const groups: { id: string; tags: Record<string, string> }[] = [];
      for await (const page of paginateDescribeSecurityGroups({ client }, { MaxResults: 1000 })) {
        for (const g of page.SecurityGroups ?? []) {
          if (g.GroupId) groups.push({ id: g.GroupId, tags: tagMap(g.Tags) });
        }
        scope.discovered?.(page.SecurityGroups?.length ?? 0);
      }
      return groups;
    };
    const listRules = async () => {
      const byGroup = new Map<string, SecurityGroupRule[]>();
      const pages = paginateDescribeSecurityGroupRules({ client }, { MaxResults: 1000 });
      for await (const page of pages) {
        for (const rule of page.SecurityGroupRules ?? []) {
          if (!rule.GroupId) continue;
          let list = byGroup.get(rule.GroupId);
          if (!list) byGroup.set(rule.GroupId, (list = []));
          list.push(ruleFromApi(rule));
        }
      }
      return byGroup;
    };
    const [groups, rules] = await Promise.all([listGroups(), listRules()]);
    for (const { id: groupId, tags } of groups) {
      yield {
        type: SECURITY_GROUP,
        ref: securityGroupRef(scope.account, scope.region, groupId),
        groupId,
        rules: rules.get(groupId) ?? [],
        tags,
      };
    }
  },
};
