import { EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import type { ResourceEnumerator } from '../../engine/definitions';
import { instanceSnapshot, type Ec2InstanceSnapshot } from './index';

/** DescribeInstances pages of 1,000 carry the metadata options: no detail calls. */
export const ec2InstanceEnumerator: ResourceEnumerator<Ec2InstanceSnapshot> = {
  readActions: ['ec2:DescribeInstances'],
  async *list(clients, scope) {
    const client = clients.get(EC2Client, scope);
    for await (const page of paginateDescribeInstances({ client }, { MaxResults: 1000 })) {
      const instances = (page.Reservations ?? [])
        .flatMap((r) => r.Instances ?? [])
        .filter((i) => i.InstanceId && i.State?.Name !== 'terminated');
      scope.discovered?.(instances.length);
      for (const i of instances) yield instanceSnapshot(scope, i);
    }
  },
};
