import { readFileSync } from 'node:fs';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import { defaultCatalog } from '../catalog';
import { parseTemplate } from '../cloudformation/template';
import { loadConfig, parseConfig, type RampartConfig } from '../config';
import { checkTemplates, SUPPRESSION_RULE } from './index';

/**
 * This module is the package's `rampart/cdk` entry (infra/build-package.ts compiles it and
 * its declarations, test/check/cdk-package.test.ts consumes it from the packed tarball): its
 * exported types may name aws-cdk-lib's and nothing of Rampart's internals.
 */
export interface RampartChecksOptions {
  /**
   * The configuration to judge with, as a document (what rampart.config.yaml holds, parsed),
   * validated like the file. Without it (and `configPath`), the usual lookup: RAMPART_CONFIG,
   * else rampart.config.yaml in the working directory, else the defaults.
   */
  configDocument?: Readonly<Record<string, unknown>>;
  /** A configuration file (YAML or JSON) to judge with. */
  configPath?: string;
  /** Also fail synthesis when a resource cannot be judged from the template. */
  failOnUnknown?: boolean;
}

/**
 * A CDK policy-validation plugin: `cdk synth` runs Rampart's policies on every synthesized
 * template, so CDK users see the same findings as `rampart check`, before deploying.
 *
 * ```ts
 * import { App, Validations } from 'aws-cdk-lib';
 * Validations.of(app).addPlugins(new RampartChecks());
 * ```
 * Suppress a finding on a resource with a reason:
 * `cfnResource.addMetadata('rampart', { suppress: [{ id: 'sg-no-public-ingress', reason: '...' }] })`.
 */
export class RampartChecks implements IPolicyValidationPlugin {
  readonly name = 'Rampart';
  readonly ruleIds: string[];
  private readonly catalog = defaultCatalog();
  private readonly config: RampartConfig;

  constructor(private readonly options: RampartChecksOptions = {}) {
    this.config = options.configDocument
      ? parseConfig(options.configDocument, this.catalog, 'RampartChecks configDocument')
      : loadConfig(this.catalog, options.configPath);
    this.ruleIds = [...this.catalog.policies.keys()];
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const templates = context.templatePaths.map((p) => parseTemplate(readFileSync(p, 'utf8'), p));
    const report = checkTemplates(templates, this.catalog, this.config);
    const failing = report.findings.filter(
      (f) =>
        f.status === 'violation' ||
        f.status === 'error' ||
        (this.options.failOnUnknown && f.status === 'unknown'),
    );
    const byRule = new Map<string, PolicyViolation>();
    for (const f of failing) {
      const policy = this.catalog.policies.get(f.ruleId);
      const violation = byRule.get(f.ruleId) ?? {
        ruleName: f.ruleId,
        description: policy?.title ?? 'Suppressions must name a policy and give a reason',
        fix:
          policy?.description ??
          `Give every Metadata.rampart.suppress entry an id and a reason (${SUPPRESSION_RULE})`,
        severity: f.severity,
        violatingResources: [],
      };
      (violation.violatingResources as PolicyViolation['violatingResources'][number][]).push({
        resourceLogicalId: f.logicalId,
        templatePath: f.file,
        locations: [`${f.status}: ${f.message}`],
      });
      byRule.set(f.ruleId, violation);
    }
    return { success: byRule.size === 0, violations: [...byRule.values()] };
  }
}
