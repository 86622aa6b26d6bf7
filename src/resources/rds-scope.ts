import type { IamScope } from '../engine/definitions';

/** RDS writes, shared by the database and snapshot types (one scope per service). */
export const RDS_SCOPE: IamScope = {
  service: 'rds',
  arns: (p, a) => [
    `arn:${p}:rds:*:${a}:db:*`,
    `arn:${p}:rds:*:${a}:cluster:*`,
    `arn:${p}:rds:*:${a}:snapshot:*`,
    `arn:${p}:rds:*:${a}:cluster-snapshot:*`,
  ],
  reason:
    'RDS writes: any DB instance, cluster or manual snapshot of this account, found at run time.',
};
