import { parseEvent, type ParsedEvent } from '../../events/cloudtrail';
import { approvalDeadlineOf } from '../../exceptions/deadline';
import type { HandleOptions } from '../results';
import { skipOf, type Intake } from '../work-item';
import { approvalDeadlineIntake } from './approval-deadline';
import { cloudTrailIntake, type SourceDeps } from './cloudtrail';
import { configItemIntake } from './config-item';

export type { SourceDeps } from './cloudtrail';

/**
 * Only AWS can emit `aws.*` sources; an envelope with any other source was put on a bus by
 * someone (PutEvents) or handed to the function directly, and is never acted on or reported.
 */
function untrustedSourceReason(parsed: ParsedEvent, options: HandleOptions): string | undefined {
  if (parsed.kind === 'other') return undefined; // approval deadlines: checked on their own path
  if (!parsed.envelope) {
    return options.trustBareRecords
      ? undefined
      : 'a bare CloudTrail record has no EventBridge envelope whose source AWS vouches for';
  }
  const source = parsed.envelope.source;
  const expected = parsed.kind === 'config' ? 'aws.config' : 'aws.';
  const trusted = parsed.kind === 'config' ? source === expected : source?.startsWith(expected);
  return trusted
    ? undefined
    : `source ${JSON.stringify(source ?? null)} is not ${parsed.kind === 'config' ? '"aws.config"' : 'an AWS service source ("aws.*")'}: the event was not emitted by AWS`;
}

/**
 * The first stage: any input the evaluator is handed → the work it asks for, by source
 * (CloudTrail API call, AWS Config item change, approval deadline), or why there is none.
 * Parses and locates once; throws MalformedEventError for input that is not an event.
 */
export function intakeOf(
  deps: SourceDeps,
  input: unknown,
  receivedAt: number,
  options: HandleOptions = {},
): Intake {
  const parsed = parseEvent(input);
  const untrusted = untrustedSourceReason(parsed, options);
  if (untrusted) {
    const record = parsed.kind === 'cloudtrail' ? parsed.record : undefined;
    return skipOf(
      parsed.envelope?.id ?? record?.eventID,
      record?.eventName,
      'untrusted-source',
      untrusted,
    );
  }
  switch (parsed.kind) {
    case 'other': {
      const { envelope } = parsed;
      const deadline = approvalDeadlineOf(envelope.detailType, parsed.detail, envelope.id);
      if (deadline) return approvalDeadlineIntake(deps, deadline, receivedAt);
      return skipOf(
        envelope.id,
        undefined,
        'unsupported-detail-type',
        `detail-type ${JSON.stringify(envelope.detailType)} is not handled`,
      );
    }
    case 'config':
      return configItemIntake(deps, parsed.envelope, parsed.change, receivedAt);
    case 'cloudtrail':
      return cloudTrailIntake(deps, parsed.record, parsed.envelope, receivedAt);
  }
}
