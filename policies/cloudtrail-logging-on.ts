import * as z from 'zod';
import { definePolicy, type OffendingElement } from '../src/engine/definitions';
import {
  CLOUDTRAIL_TRAIL,
  type CloudTrailTrailSnapshot,
} from '../src/resources/cloudtrail-trail/snapshot';

export const cloudTrailLoggingOnParameters = z.strictObject({
  requireLogFileValidation: z
    .boolean()
    .default(true)
    .describe('A trail without log file validation (digest files) violates too.'),
});
export type CloudTrailLoggingOnParameters = z.output<typeof cloudTrailLoggingOnParameters>;

export const cloudTrailLoggingOn = definePolicy<
  CloudTrailTrailSnapshot,
  CloudTrailLoggingOnParameters
>({
  id: 'cloudtrail-logging-on',
  title: 'CloudTrail trails log, with log file validation',
  description:
    'A trail whose logging is stopped (StopLogging) violates; so does one without log file validation unless requireLogFileValidation is false.',
  rationale:
    "Stopping the trail is an intruder's classic first move: every later call goes unrecorded. Log file validation proves afterwards that no log file was changed or deleted.",
  severity: 'critical',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'CloudTrail.1' },
    { framework: 'aws-fsbp', id: 'CloudTrail.4' },
    { framework: 'cis-aws-foundations-3.0', id: '3.1' },
    { framework: 'cis-aws-foundations-3.0', id: '3.2' },
    { framework: 'aws-well-architected', id: 'SEC04-BP01' },
  ],
  resourceType: CLOUDTRAIL_TRAIL,
  triggers: ['StopLogging', 'CreateTrail', 'UpdateTrail'],
  // Restarting logging changes nothing but that the trail records again: revert at once.
  defaultMode: 'enforce',
  parameters: cloudTrailLoggingOnParameters,
  remediatorId: 'cloudtrail-start-logging',
  evaluate(snapshot, params) {
    const elements: OffendingElement[] = [];
    if (!snapshot.isLogging) elements.push({ kind: 'logging', description: 'logging is stopped' });
    if (params.requireLogFileValidation && !snapshot.logFileValidation) {
      elements.push({ kind: 'log-file-validation', description: 'log file validation is off' });
    }
    if (elements.length === 0) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `CloudTrail trail ${snapshot.trailName}: ${elements.map((e) => e.description).join(', ')}.`,
        elements,
      },
    };
  },
});
