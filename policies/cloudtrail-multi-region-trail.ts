import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  CLOUDTRAIL_ACCOUNT,
  type CloudTrailAccountSnapshot,
} from '../src/resources/cloudtrail-account/snapshot';

export const cloudTrailMultiRegionTrail = definePolicy<
  CloudTrailAccountSnapshot,
  Record<string, never>
>({
  id: 'cloudtrail-multi-region-trail',
  title: 'The account has a logging multi-region trail with log file validation',
  description:
    'An account with no multi-region trail that is logging and validates its log files violates: a trail deleted, stopped or switched to one region leaves API calls elsewhere unrecorded.',
  rationale:
    "Without a trail in every region an intruder works in a region nobody watches, and without log file validation they can edit the record afterwards; Rampart's own event path depends on the trail too.",
  severity: 'high',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'CloudTrail.1' },
    { framework: 'cis-aws-foundations-3.0', id: '3.1' },
    { framework: 'cis-aws-foundations-3.0', id: '3.2' },
    { framework: 'aws-well-architected', id: 'SEC04-BP01' },
  ],
  resourceType: CLOUDTRAIL_ACCOUNT,
  triggers: ['DeleteTrail', 'StopLogging', 'UpdateTrail', 'CreateTrail'],
  // A deleted trail cannot be put back as it was (its bucket, key and selectors are the
  // owner's): reported at once; a stopped one is restarted by cloudtrail-logging-on.
  defaultMode: 'notify',
  parameters: z.strictObject({}),
  evaluate(snapshot) {
    const good = snapshot.multiRegionTrails.filter((t) => t.isLogging && t.logFileValidation);
    if (good.length > 0) return { compliant: true };
    const why =
      snapshot.multiRegionTrails.length === 0
        ? 'it has no multi-region trail'
        : `its multi-region trails ${snapshot.multiRegionTrails
            .map(
              (t) =>
                `${t.trailArn.split('/').at(-1)} (${[
                  t.isLogging ? '' : 'not logging',
                  t.logFileValidation ? '' : 'no log file validation',
                ]
                  .filter(Boolean)
                  .join(', ')})`,
            )
            .join('; ')} do not cover it`;
    return {
      compliant: false,
      finding: {
        message: `Account ${snapshot.account} is not recorded in every region: ${why}.`,
        elements: [{ kind: 'multi-region-trail', description: why }],
      },
    };
  },
});
