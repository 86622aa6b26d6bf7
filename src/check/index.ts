import { resolveTemplate } from '../cloudformation/resolved';
import type { Template } from '../cloudformation/template';
import type { RampartConfig } from '../config';
import type { Catalog } from '../engine/catalog';
import type { AnyPolicy } from '../engine/definitions';
import { errorMessage } from '../errors';

export const CHECK_STATUSES = [
  'violation',
  'unknown',
  'error',
  'suppressed',
  'not-applicable',
] as const;

/** One result of a template check, located at the resource to fix. */
export interface CheckFinding {
  file: string;
  logicalId: string;
  line: number;
  /** CloudFormation type of the resource the finding is about. */
  cfnType: string;
  /** A policy id, or `rampart-suppression` for an invalid suppression. */
  ruleId: string;
  /** `violation`; `unknown` (cannot be judged from the template, with why); `error` (the policy threw, or an invalid suppression); `suppressed` (with the reason given). */
  status: (typeof CHECK_STATUSES)[number];
  severity: AnyPolicy['severity'];
  message: string;
  suppressionReason?: string;
}

export interface CheckReport {
  findings: CheckFinding[];
  summary: {
    templates: number;
    resourcesJudged: number;
    violations: number;
    unknown: number;
    errors: number;
    suppressed: number;
    /** Resource × policy pairs the policy does not concern (counted apart, never a finding to fix). */
    notApplicable: number;
  };
}

export const SUPPRESSION_RULE = 'rampart-suppression';

interface Suppression {
  id: string;
  reason: string;
}

/** Reads `Metadata.rampart.suppress`; a suppression without a reason is itself an error. */
function suppressionsOf(
  metadata: Record<string, unknown>,
  catalog: Catalog,
): { valid: Suppression[]; problems: string[] } {
  const raw = (metadata.rampart as { suppress?: unknown } | undefined)?.suppress;
  if (raw === undefined) return { valid: [], problems: [] };
  if (!Array.isArray(raw))
    return { valid: [], problems: ['Metadata.rampart.suppress must be a list of {id, reason}'] };
  const valid: Suppression[] = [];
  const problems: string[] = [];
  raw.forEach((entry, i) => {
    const { id, reason } = (entry ?? {}) as { id?: unknown; reason?: unknown };
    if (typeof id !== 'string' || !catalog.policies.has(id)) {
      problems.push(
        `Metadata.rampart.suppress[${i}].id ${JSON.stringify(id)} is not a policy id; allowed: ${[...catalog.policies.keys()].join(', ')}`,
      );
    } else if (typeof reason !== 'string' || reason.trim() === '') {
      problems.push(
        `Metadata.rampart.suppress[${i}] (${id}) has no reason: every suppression must say why`,
      );
    } else {
      valid.push({ id, reason: reason.trim() });
    }
  });
  return { valid, problems };
}

/**
 * Judges CloudFormation templates with the same policy code that judges live resources:
 * each resource type's template adapter builds the normalized snapshot, the enabled
 * policies evaluate it. Compliant resources produce no finding.
 */
export function checkTemplates(
  templates: Template[],
  catalog: Catalog,
  config: RampartConfig,
): CheckReport {
  const findings: CheckFinding[] = [];
  let resourcesJudged = 0;
  for (const template of templates) {
    const resolved = resolveTemplate(template);
    const suppressionCache = new Map<string, ReturnType<typeof suppressionsOf>>();
    const suppressionsFor = (logicalId: string) => {
      let s = suppressionCache.get(logicalId);
      if (!s) {
        s = suppressionsOf(resolved.byLogicalId.get(logicalId)?.metadata ?? {}, catalog);
        suppressionCache.set(logicalId, s);
      }
      return s;
    };
    for (const type of catalog.resourceTypes.values()) {
      if (!type.fromTemplate) continue;
      const policies = catalog.policiesFor(type.type).filter((p) => config.policies[p.id]?.enabled);
      if (policies.length === 0) continue;
      for (const subject of type.fromTemplate(resolved)) {
        resourcesJudged++;
        const at = {
          file: template.file,
          logicalId: subject.logicalId,
          line: subject.line,
          cfnType: subject.cfnType,
        };
        const { valid } = suppressionsFor(subject.logicalId);
        for (const policy of policies) {
          let finding: Omit<CheckFinding, 'file' | 'logicalId' | 'line' | 'cfnType'> | undefined;
          if ('unknown' in subject) {
            finding = {
              ruleId: policy.id,
              status: 'unknown',
              severity: policy.severity,
              message: `cannot be judged from the template: ${subject.unknown}`,
            };
          } else {
            try {
              const verdict = policy.evaluate(
                subject.snapshot,
                config.policies[policy.id]!.parameters,
              );
              if (verdict.compliant === false) {
                finding = {
                  ruleId: policy.id,
                  status: 'violation',
                  severity: policy.severity,
                  message: verdict.finding.message,
                };
              } else if (verdict.compliant === null) {
                finding = {
                  ruleId: policy.id,
                  status: 'not-applicable',
                  severity: policy.severity,
                  message: verdict.notApplicable,
                };
              }
            } catch (error) {
              finding = {
                ruleId: policy.id,
                status: 'error',
                severity: policy.severity,
                message: `policy failed: ${errorMessage(error)}`,
              };
            }
          }
          if (!finding) continue;
          const suppression = valid.find((s) => s.id === policy.id);
          if (suppression && finding.status !== 'error' && finding.status !== 'not-applicable') {
            finding = { ...finding, status: 'suppressed', suppressionReason: suppression.reason };
          }
          findings.push({ ...at, ...finding });
        }
      }
    }
    for (const resource of resolved.resources) {
      for (const problem of suppressionsFor(resource.logicalId).problems) {
        findings.push({
          file: template.file,
          logicalId: resource.logicalId,
          line: resource.line,
          cfnType: resource.type,
          ruleId: SUPPRESSION_RULE,
          status: 'error',
          severity: 'medium',
          message: problem,
        });
      }
    }
  }
  const count = (s: CheckFinding['status']) => findings.filter((f) => f.status === s).length;
  return {
    findings,
    summary: {
      templates: templates.length,
      resourcesJudged,
      violations: count('violation'),
      unknown: count('unknown'),
      errors: count('error'),
      suppressed: count('suppressed'),
      notApplicable: count('not-applicable'),
    },
  };
}
