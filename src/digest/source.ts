import type { ExceptionStore } from '../exceptions/store';
import type { HistoryStore } from '../history/store';
import { digestPeriod, type DigestInputs, type DigestSchedule } from './model';

/** How many past digests the trend shows. */
export const TREND_LENGTH = 12;

/** Reads what a digest at `now` is computed from: the history table and the exceptions table. */
export async function readDigestInputs(deps: {
  history: HistoryStore;
  /** Without an exceptions table, the digest has no exception numbers (all zero). */
  exceptions?: ExceptionStore;
  now: string;
  schedule: DigestSchedule;
  topActors: number;
}): Promise<DigestInputs> {
  const { history, exceptions, now } = deps;
  const pastDigests = await history.digestsBefore(now, TREND_LENGTH);
  const { from, to } = digestPeriod(now, deps.schedule, pastDigests.at(-1));
  const [sweep, outcomes, decisions, activeExceptions] = await Promise.all([
    history.latestSweepAt(to),
    history.outcomesBetween(from, to),
    exceptions ? exceptions.decisionsBetween(from, to) : [],
    exceptions ? exceptions.listActive(Date.parse(to)) : [],
  ]);
  return {
    generatedAt: now,
    from,
    to,
    schedule: deps.schedule,
    ...(sweep ? { sweep } : {}),
    outcomes,
    decisions,
    activeExceptions,
    pastDigests,
    topActors: deps.topActors,
  };
}
