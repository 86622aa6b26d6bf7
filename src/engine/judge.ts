import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { Evaluation } from '../domain';
import { errorMessage } from '../errors';
import type { Catalog } from './catalog';
import type { AnyPolicy, Snapshot } from './definitions';

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

/**
 * A violation found on a snapshot listed without the tags its policy reads is judged again
 * with them, before anything is decided; a failed tag read makes the verdict an error.
 */
export async function judgeWithTags(
  deps: { catalog: Catalog; clients: AwsClients; config: RampartConfig },
  policy: AnyPolicy,
  snapshot: Snapshot,
  evaluation: Evaluation,
): Promise<{ evaluation: Evaluation; snapshot: Snapshot }> {
  if (evaluation.status !== 'violation' || policy.readsTags === undefined || hasTags(snapshot)) {
    return { evaluation, snapshot };
  }
  try {
    const tagged = await withTags(deps, snapshot);
    return { evaluation: judge(policy, tagged, deps.config), snapshot: tagged };
  } catch (error) {
    return {
      snapshot,
      evaluation: {
        policyId: policy.id,
        resource: snapshot.ref,
        status: 'error',
        error: `cannot read the tags the verdict depends on: ${errorMessage(error)}`,
      },
    };
  }
}
