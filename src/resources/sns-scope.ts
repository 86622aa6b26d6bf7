import type { IamScope } from '../engine/definitions';

/** SNS writes, shared by the topic and subscription types (one scope per service). */
export const SNS_SCOPE: IamScope = {
  service: 'sns',
  arns: (p, a) => [`arn:${p}:sns:*:${a}:*`],
  reason:
    'SNS writes: any topic or subscription of this account (subscription ARNs are the topic ARN plus an id), found at run time.',
};
