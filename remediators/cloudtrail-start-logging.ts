import {
  CloudTrailClient,
  StartLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { defineRemediator } from '../src/engine/definitions';
import {
  CLOUDTRAIL_TRAIL,
  readTrail,
  type CloudTrailTrailSnapshot,
} from '../src/resources/cloudtrail-trail';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

const stateOf = (t: CloudTrailTrailSnapshot) => ({
  isLogging: t.isLogging,
  logFileValidation: t.logFileValidation,
});

/**
 * Restarts the trail's logging (StartLogging) and, where the violation names it, turns log
 * file validation on (UpdateTrail with EnableLogFileValidation only). Its bucket, selectors,
 * regions and everything else stay as they are. Both calls go to the trail's home region,
 * where its name is enough (an ARN is only needed from another region).
 */
export const cloudTrailStartLogging = defineRemediator<CloudTrailTrailSnapshot>({
  id: 'cloudtrail-start-logging',
  description: 'Restarts logging (StartLogging) and turns log file validation on (UpdateTrail).',
  resourceType: CLOUDTRAIL_TRAIL,
  iamActions: {
    read: ['cloudtrail:GetTrail', 'cloudtrail:GetTrailStatus'],
    write: ['cloudtrail:StartLogging', 'cloudtrail:UpdateTrail'],
  },
  remediate: ({ clients, snapshot, violation }) =>
    guarded(stateOf(snapshot), async (changes) => {
      const scope = { account: snapshot.ref.account, region: snapshot.homeRegion };
      const current = await readTrail(clients, scope, snapshot.trailName);
      if (!current) return resourceGone(changes, `trail ${snapshot.trailName}`);
      const before = stateOf(current);
      const wantsValidation = violation.elements.some((e) => e.kind === 'log-file-validation');
      const client = clients.get(CloudTrailClient, scope);
      if (!current.isLogging) {
        await client.send(new StartLoggingCommand({ Name: current.trailName }));
        changes.push(`restarted logging of trail ${current.trailName}`);
      }
      if (wantsValidation && !current.logFileValidation) {
        await client.send(
          new UpdateTrailCommand({ Name: current.trailName, EnableLogFileValidation: true }),
        );
        changes.push(`turned on log file validation of trail ${current.trailName}`);
      }
      if (changes.length === 0)
        return { status: 'already-compliant', changes, before, after: before };
      const after = await readTrail(clients, scope, snapshot.trailName);
      if (!after?.isLogging || (wantsValidation && !after.logFileValidation)) {
        return verificationFailed(
          changes,
          before,
          after && stateOf(after),
          `trail ${snapshot.trailName} is still not logging with validation`,
        );
      }
      return { status: 'reverted', changes, before, after: stateOf(after) };
    }),
});
