import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { Evaluation } from '../domain';
import { errorMessage } from '../errors';
import type { Catalog } from './catalog';
import type { AnyPolicy, Snapshot } from './definitions';
import type { FailureSenders } from './failure-senders';

/**
 * The judge stage: a pure policy on a snapshot → compliant, violation, not-applicable or
 * error. Policies are pure, but a bug or odd input can still throw: that is an `error`,
 * never compliant.
 */
export function judge(policy: AnyPolicy, snapshot: Snapshot, config: RampartConfig): Evaluation {
  const resource = snapshot.ref;
  try {
    const verdict = policy.evaluate(snapshot, config.policies[policy.id]!.parameters);
    if (verdict.compliant === true) return { policyId: policy.id, resource, status: 'compliant' };
    if (verdict.compliant === null) {
      return {
        policyId: policy.id,
        resource,
        status: 'not-applicable',
        reason: verdict.notApplicable,
      };
    }
    return {
      policyId: policy.id,
      resource,
      status: 'violation',
      violation: { policyId: policy.id, resource, ...verdict.finding },
    };
  } catch (error) {
    return { policyId: policy.id, resource, status: 'error', error: errorMessage(error) };
  }
}

/** Whether the snapshot carries its tags (undefined: its input did not read them). */
export function hasTags(snapshot: Snapshot): boolean {
  return (snapshot as { tags?: unknown }).tags !== undefined;
}

/**
 * The snapshot with its tags, read now if its input left them out (tag-scoped exceptions,
 * policies that `readsTags`): listings skip a call most verdicts do not need.
 */
export async function withTags(
  deps: { catalog: Catalog; clients: AwsClients },
  snapshot: Snapshot,
): Promise<Snapshot> {
  const type = deps.catalog.resourceTypes.get(snapshot.type);
  if (!type?.readTags || hasTags(snapshot)) return snapshot;
  return { ...snapshot, tags: await type.readTags(deps.clients, snapshot) } as Snapshot;
}

export interface JudgeDeps {
  catalog: Catalog;
  clients: AwsClients;
  config: RampartConfig;
  failureSenders: FailureSenders;
}

/**
 * A violation found on a snapshot that lacks what its policy reads (tags a listing left
 * out, who sends failures to the resource) is judged again with it, before anything is
 * decided: a verdict never rests on what the input did not know. A failed read makes the
 * verdict an error.
 */
export async function judgeWithContext(
  deps: JudgeDeps,
  policy: AnyPolicy,
  snapshot: Snapshot,
  evaluation: Evaluation,
): Promise<{ evaluation: Evaluation; snapshot: Snapshot }> {
  let judged = { evaluation, snapshot };
  if (policy.readsTags !== undefined && !hasTags(snapshot)) {
    judged = await judgeAgain(deps, policy, judged, 'the tags', (s) => withTags(deps, s));
  }
  if (policy.readsFailureSenders !== undefined && judged.snapshot.failuresOf === undefined) {
    judged = await judgeAgain(deps, policy, judged, 'the failure senders', async (s) => ({
      ...s,
      failuresOf: await deps.failureSenders.sendersOf(s.ref),
    }));
  }
  return judged;
}

async function judgeAgain(
  deps: { config: RampartConfig },
  policy: AnyPolicy,
  judged: { evaluation: Evaluation; snapshot: Snapshot },
  what: string,
  read: (snapshot: Snapshot) => Promise<Snapshot>,
): Promise<{ evaluation: Evaluation; snapshot: Snapshot }> {
  if (judged.evaluation.status !== 'violation') return judged;
  const { snapshot } = judged;
  try {
    const completed = await read(snapshot);
    return { evaluation: judge(policy, completed, deps.config), snapshot: completed };
  } catch (error) {
    return {
      snapshot,
      evaluation: {
        policyId: policy.id,
        resource: snapshot.ref,
        status: 'error',
        error: `cannot read ${what} the verdict depends on: ${errorMessage(error)}`,
      },
    };
  }
}
