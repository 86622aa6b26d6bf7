/**
 * The compliance frameworks a policy can say it implements controls of, with the shape of
 * their control ids (checked at catalog load: a typo is an error, not a silent mismatch in
 * Security Hub or a digest). SDK-free: policies import it.
 */
export const FRAMEWORKS = {
  'aws-fsbp': {
    title: 'AWS Foundational Security Best Practices',
    /** Security Hub control ids: `EC2.19`, `IAM.1`, `S3.8`. */
    idPattern: /^[A-Za-z0-9]+\.\d+$/,
    /** How Security Hub names a requirement of the standard (ASFF RelatedRequirements). */
    requirement: (id: string) => `AWS Foundational Security Best Practices ${id}`,
  },
  'cis-aws-foundations-3.0': {
    title: 'CIS AWS Foundations Benchmark v3.0.0',
    /** Recommendation numbers: `1.16`, `2.1.4`, `5.2`. */
    idPattern: /^\d+(\.\d+){1,2}$/,
    requirement: (id: string) => `CIS AWS Foundations Benchmark v3.0.0/${id}`,
  },
  'aws-well-architected': {
    title: 'AWS Well-Architected Framework',
    /** Best-practice ids: `SEC08-BP02`, `REL05-BP04`. */
    idPattern: /^(SEC|REL|OPS|COST|PERF|SUS)\d{2}-BP\d{2}$/,
    requirement: (id: string) => `AWS Well-Architected Framework ${id}`,
  },
} as const;

export type FrameworkId = keyof typeof FRAMEWORKS;
export const FRAMEWORK_IDS = Object.keys(FRAMEWORKS) as FrameworkId[];

/** One control of one framework that a policy implements (wholly or in part). */
export interface ControlRef {
  framework: FrameworkId;
  id: string;
}

/** `aws-fsbp EC2.19`: stable, readable, used as a key in digests and SARIF tags. */
export function controlKey(control: ControlRef): string {
  return `${control.framework} ${control.id}`;
}

/** The requirement string Security Hub and OCSF carry for a control. */
export function requirementOf(control: ControlRef): string {
  return FRAMEWORKS[control.framework].requirement(control.id);
}
