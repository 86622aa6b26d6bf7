import { securityHubSchema, securityHubSettings, type SecurityHubSettings } from './security-hub';
import { existsSync } from 'node:fs';
import { INPUT_LIMITS, readBoundedFile } from '../io/bounded-read';
import { yamlValue, type YamlValueError } from '../io/yaml';
import { resolve } from 'node:path';
import YAML from 'yaml';
import * as z from 'zod';
import { MODES, type Mode } from '../domain';
import type { Catalog } from '../engine/catalog';
import { slackConfigSchema, type SlackConfig } from './slack';
import { organizationSchema, type OrganizationSettings } from './organization';
import { complianceSchema, complianceSettings, type ComplianceSettings } from './compliance';
import { reliabilitySchema, reliabilitySettings, type ReliabilitySettings } from './reliability';
import {
  EVALUATOR_ROLE_NAME,
  OWN_SESSION_NAMES,
  REMEDIATION_ROLE_NAME,
  ROLE_ARN_PATTERN,
  ROLE_NAME_PATTERN,
  SESSION_NAME_PATTERN,
} from './own-identity';
import { deploymentSchema, deploymentSettings, type DeploymentSettings } from './deployment';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** Where the configuration came from (a file path, an env var, `(object)`). */
    readonly source: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export interface PolicySettings {
  enabled: boolean;
  mode: Mode;
  parameters: unknown;
}

export interface RampartConfig {
  /**
   * Rampart's own identities, whose changes are ignored: a role named exactly in `roleNames`
   * (in the event's own account) or listed in `arns`, used under a session name in
   * `sessionNames` (src/engine/own-change.ts).
   */
  ownRole: { roleNames: string[]; arns: string[]; sessionNames: string[] };
  /** Every catalog policy, with defaults filled in. */
  policies: Record<string, PolicySettings>;
  /** Slack notices and exception approvals; absent when Slack is not configured. */
  slack?: SlackConfig;
  /** Duplicate suppression and the revert-war breaker (src/config/reliability.ts). */
  reliability: ReliabilitySettings;
  /** The periodic sweep, its history and the digest (src/config/compliance.ts). */
  compliance: ComplianceSettings;
  /** ASFF findings in AWS Security Hub (src/config/security-hub.ts). */
  securityHub: SecurityHubSettings;
  /** The AWS Organization Rampart covers, when it covers one (src/config/organization.ts). */
  organization?: OrganizationSettings;
  /** Where and how the CDK app deploys Rampart (read by `infra/`, not by the engine). */
  deployment: DeploymentSettings;
}

export const CONFIG_FILE = 'rampart.config.yaml';
export const DEFAULT_OWN_ROLE_NAMES = [EVALUATOR_ROLE_NAME, REMEDIATION_ROLE_NAME];

/** The configuration file's schema (the policies section built from the catalog). */
export function configSchema(catalog: Catalog) {
  const policyShape: Record<string, z.ZodType> = {};
  for (const policy of catalog.policies.values()) {
    policyShape[policy.id] = z
      .strictObject({
        enabled: z.boolean().optional(),
        mode: z.enum(MODES).optional(),
        parameters: policy.parameters.optional(),
      })
      .optional();
  }
  return z.strictObject({
    version: z.literal(1).optional(),
    ownRole: z
      .strictObject({
        roleNames: z
          .array(
            z
              .string()
              .regex(
                ROLE_NAME_PATTERN,
                'expected an exact IAM role name (letters, digits and +=,.@_-; no wildcards)',
              ),
          )
          .optional(),
        arns: z
          .array(
            z
              .string()
              .regex(
                ROLE_ARN_PATTERN,
                'expected an IAM role ARN, arn:aws:iam::<12-digit account>:role/[path/]<name> (no users, no wildcards)',
              ),
          )
          .optional(),
        sessionNames: z
          .array(
            z
              .string()
              .regex(
                SESSION_NAME_PATTERN,
                'expected an exact role session name (2-64 of letters, digits and +=,.@_-)',
              ),
          )
          .min(1)
          .optional(),
      })
      .optional(),
    policies: z.strictObject(policyShape).optional(),
    slack: slackConfigSchema.optional(),
    reliability: reliabilitySchema.optional(),
    compliance: complianceSchema.optional(),
    securityHub: securityHubSchema.optional(),
    organization: organizationSchema.optional(),
    deployment: deploymentSchema,
  });
}

/** Walks a schema along an issue path to list what keys are allowed there. */
function allowedKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  let current: unknown = schema;
  const unwrap = (s: unknown): unknown => {
    let def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    while (
      def &&
      ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(
        def.type as string,
      )
    ) {
      s = def.innerType;
      def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    }
    if (def?.type === 'pipe') return unwrap(def.in);
    return s;
  };
  for (const key of path) {
    const def = (
      unwrap(current) as { _zod?: { def?: { type: string; shape?: Record<string, unknown> } } }
    )._zod?.def;
    if (def?.type !== 'object' || !def.shape) return [];
    current = def.shape[String(key)];
  }
  const def = (
    unwrap(current) as { _zod?: { def?: { type: string; shape?: Record<string, unknown> } } }
  )._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function describeIssue(schema: z.ZodType, issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(schema, issue.path);
      return issue.keys
        .map((k) => `${[...issue.path, k].join('.')}: unknown key; allowed: ${allowed.join(', ')}`)
        .join('\n');
    }
    case 'invalid_value':
      return `${where}: ${issue.message.replace(/^Invalid option: expected one of /, 'invalid value; allowed: ')}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

/** Validates a parsed configuration document and fills in every default. */
export function parseConfig(
  raw: unknown,
  catalog: Catalog,
  source = '(object)',
  env: NodeJS.ProcessEnv = process.env,
): RampartConfig {
  const schema = configSchema(catalog);
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => describeIssue(schema, i));
    throw new ConfigError(
      `invalid configuration in ${source}:\n  ${problems.join('\n  ')}`,
      source,
      problems,
    );
  }
  const doc = parsed.data;
  const policies: Record<string, PolicySettings> = {};
  for (const policy of catalog.policies.values()) {
    const entry = doc.policies?.[policy.id] as
      { enabled?: boolean; mode?: Mode; parameters?: unknown } | undefined;
    // Re-parse so that defaults apply even when the whole parameters block is absent.
    const parameters = policy.parameters.parse(entry?.parameters ?? {});
    policies[policy.id] = {
      enabled: entry?.enabled ?? true,
      mode: entry?.mode ?? policy.defaultMode,
      parameters,
    };
  }
  return {
    ownRole: {
      roleNames: doc.ownRole?.roleNames ?? DEFAULT_OWN_ROLE_NAMES,
      arns: doc.ownRole?.arns ?? [],
      sessionNames: doc.ownRole?.sessionNames ?? [...OWN_SESSION_NAMES],
    },
    policies,
    ...(doc.slack ? { slack: doc.slack } : {}),
    reliability: reliabilitySettings(doc.reliability, env),
    compliance: complianceSettings(doc.compliance, env),
    securityHub: securityHubSettings(doc.securityHub),
    ...(doc.organization ? { organization: doc.organization } : {}),
    deployment: deploymentSettings(doc.deployment),
  };
}

export function parseConfigText(
  text: string,
  catalog: Catalog,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): RampartConfig {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { prettyErrors: true, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new ConfigError(
      `cannot parse ${source}${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${e.message.split('\n')[0]}`,
      source,
    );
  }
  let value: unknown;
  try {
    value = yamlValue(doc, lineCounter);
  } catch (error) {
    const e = error as YamlValueError;
    throw new ConfigError(
      `cannot read ${source}${e.line ? ` at line ${e.line}, column ${e.column}` : ''}: ${e.message}`,
      source,
    );
  }
  return parseConfig(value, catalog, source, env);
}

/**
 * Finds the configuration: an explicit path, else `RAMPART_CONFIG_JSON` (how the deployed
 * Lambda receives it), else `RAMPART_CONFIG` (a path), else `rampart.config.yaml` in the
 * working directory. With none of these the defaults apply.
 */
export function loadConfig(catalog: Catalog, path?: string, env = process.env): RampartConfig {
  if (!path && env.RAMPART_CONFIG_JSON) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.RAMPART_CONFIG_JSON);
    } catch (error) {
      throw new ConfigError(
        `RAMPART_CONFIG_JSON is not JSON: ${(error as Error).message}`,
        'RAMPART_CONFIG_JSON',
      );
    }
    return parseConfig(raw, catalog, 'RAMPART_CONFIG_JSON', env);
  }
  const file = path ?? env.RAMPART_CONFIG ?? (existsSync(CONFIG_FILE) ? CONFIG_FILE : undefined);
  if (!file) return parseConfig({}, catalog, '(defaults)', env);
  const full = resolve(file);
  let text: string;
  try {
    text = readBoundedFile(full, INPUT_LIMITS.config, 'a configuration file').toString('utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read configuration file ${full}: ${(error as Error).message}`,
      full,
    );
  }
  return parseConfigText(text, catalog, file, env);
}
