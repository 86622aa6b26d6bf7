import type { IamScope } from '../../engine/definitions';

/**
 * Where queue writes are granted: the violating queue's RedrivePolicy, and the dead-letter
 * queues remediators of other types create (named per source at run time).
 */
export const SQS_QUEUE_SCOPE: IamScope = {
  service: 'sqs',
  arns: (p, a) => [`arn:${p}:sqs:*:${a}:*`],
  reason:
    "Queue writes: the violating queue's RedrivePolicy, and dead-letter queues Rampart creates (named per source at run time).",
};
