import type { Catalog } from '../engine/catalog';
import { AGGREGATOR_READ_ACTIONS } from './aggregator';

/**
 * The read-only IAM actions a sweep needs, as data (the infrastructure grants exactly
 * these): every enumerator's listing calls, and for the aggregator path the query plus the
 * live read (`collect`) of candidates. sts:GetCallerIdentity needs no permission.
 * Remediation's write actions come from the remediators, as for the evaluator.
 */
export function sweepReadActions(catalog: Catalog): string[] {
  const actions = new Set<string>(AGGREGATOR_READ_ACTIONS);
  for (const type of catalog.resourceTypes.values()) {
    for (const a of type.enumerate?.readActions ?? []) actions.add(a);
    // The types the aggregator lists (regional ones Config records) are read live by `collect`.
    if (type.fromConfigItem && !type.enumerate?.global)
      for (const a of type.readActions) actions.add(a);
  }
  return [...actions].sort();
}
