import { FRAMEWORK_IDS, FRAMEWORKS, type ControlRef, type FrameworkId } from '../engine/frameworks';
import type { SweepSummary } from '../sweep/model';

/** One framework control, judged from the sweep's counts of the policies that check it. */
export interface ControlStatus {
  id: string;
  /** failing: a policy of it has open violations; passing: judged, none open; else not evaluated. */
  status: 'passing' | 'failing' | 'not-evaluated';
  open: number;
  policies: string[];
}

export interface FrameworkSection {
  framework: FrameworkId;
  title: string;
  passing: number;
  failing: number;
  notEvaluated: number;
  /** Failing first (most open), then not evaluated, then passing; by id within each. */
  controls: ControlStatus[];
}

const STATUS_ORDER = { failing: 0, 'not-evaluated': 1, passing: 2 } as const;

/** Per framework: each control a policy checks, passing or failing by the sweep's counts. */
export function frameworkSections(
  sweep: SweepSummary | undefined,
  controls: Readonly<Record<string, readonly ControlRef[]>>,
): FrameworkSection[] {
  const judged = new Map<string, { resources: number; open: number }>();
  for (const c of sweep?.byPolicyAccount ?? []) {
    const j = judged.get(c.policy) ?? { resources: 0, open: 0 };
    j.resources += c.resources - (c.notApplicable ?? 0);
    j.open += c.violations;
    judged.set(c.policy, j);
  }
  const byFramework = new Map<FrameworkId, Map<string, ControlStatus>>();
  for (const [policy, refs] of Object.entries(controls)) {
    const j = judged.get(policy);
    for (const ref of refs) {
      const list = byFramework.get(ref.framework) ?? new Map<string, ControlStatus>();
      byFramework.set(ref.framework, list);
      const control = list.get(ref.id) ?? {
        id: ref.id,
        status: 'not-evaluated',
        open: 0,
        policies: [],
      };
      control.policies.push(policy);
      control.open += j?.open ?? 0;
      if (control.open > 0) control.status = 'failing';
      else if (j && j.resources > 0 && control.status === 'not-evaluated')
        control.status = 'passing';
      list.set(ref.id, control);
    }
  }
  return FRAMEWORK_IDS.filter((f) => byFramework.has(f)).map((framework) => {
    const list = [...byFramework.get(framework)!.values()].sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        b.open - a.open ||
        a.id.localeCompare(b.id, 'en', { numeric: true }),
    );
    for (const c of list) c.policies.sort();
    const count = (status: ControlStatus['status']) =>
      list.filter((c) => c.status === status).length;
    return {
      framework,
      title: FRAMEWORKS[framework].title,
      passing: count('passing'),
      failing: count('failing'),
      notEvaluated: count('not-evaluated'),
      controls: list,
    };
  });
}
