/** Where a resource lives and what it is: the key every other domain object hangs off. */
export interface ResourceRef {
  partition: string;
  account: string;
  region: string;
  /** CloudFormation-style type name, e.g. `AWS::EC2::SecurityGroup`. */
  type: string;
  /** The service's own identifier (group id, table name, queue URL, ...). */
  id: string;
  arn: string;
}

/**
 * What an event tells us about a resource before we have read it: the id may still be
 * a name to resolve (a legacy CloudTrail record names a security group, not its id).
 */
export interface ResourceLocator {
  type: string;
  account: string;
  region: string;
  id?: string;
  name?: string;
}

/** The AWS partition a region belongs to (ARNs differ per partition). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** Where a partition's global services (IAM) answer: one region per partition. */
const HOME_REGIONS: Readonly<Record<string, string>> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** The home region of a partition; `us-east-1` for one without a listed home. */
export function homeRegionOf(partition: string): string {
  return (
    (Object.hasOwn(HOME_REGIONS, partition) ? HOME_REGIONS[partition] : undefined) ?? 'us-east-1'
  );
}

/** Where calls about a resource go: its region, or its partition's home for a global one (IAM). */
export function apiRegionOf(ref: Pick<ResourceRef, 'partition' | 'region'>): string {
  return ref.region === 'global' ? homeRegionOf(ref.partition) : ref.region;
}
