import { partitionOf, type ResourceRef } from '../../domain';
import { SECURITY_GROUP } from './snapshot';

export function securityGroupRef(account: string, region: string, groupId: string): ResourceRef {
  const partition = partitionOf(region);
  return {
    partition,
    account,
    region,
    type: SECURITY_GROUP,
    id: groupId,
    arn: `arn:${partition}:ec2:${region}:${account}:security-group/${groupId}`,
  };
}
