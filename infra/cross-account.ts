import type { RampartConfig } from '../src/config';
import { InfraError } from './errors';

/**
 * Which member accounts the central evaluator may assume its role in: the organization
 * (`aws:ResourceOrgID`), an explicit list of accounts, or none (a single-account
 * deployment). A deployment that reaches other accounts without either is refused.
 */
export type CrossAccountScope =
  | { kind: 'organization'; organizationId: string }
  | { kind: 'accounts'; accounts: string[] }
  | { kind: 'single-account' };

export function crossAccountScope(config: RampartConfig): CrossAccountScope {
  const { organizationId, targets, centralAccount } = config.deployment;
  if (organizationId) return { kind: 'organization', organizationId };
  if (config.organization) {
    throw new InfraError(
      'organization: covers the accounts of OUs, but deployment.organizationId is not set: set it, so that member roles trust the evaluator only from inside the organization (aws:PrincipalOrgID) and it assumes roles only there (aws:ResourceOrgID)',
      'deployment.organizationId',
    );
  }
  if (targets.organizationalUnits.length > 0) {
    throw new InfraError(
      `deployment.targets.organizationalUnits (${targets.organizationalUnits.join(', ')}) deploys to every account of those OUs, but deployment.organizationId is not set: set it, so that the evaluator may assume member roles only inside the organization (aws:ResourceOrgID) and member roles trust it only from there (aws:PrincipalOrgID)`,
      'deployment.organizationId',
    );
  }
  const accounts = [...new Set([...targets.accounts, ...config.compliance.sweep.accounts])]
    .filter((a) => a !== centralAccount)
    .sort();
  return accounts.length > 0 ? { kind: 'accounts', accounts } : { kind: 'single-account' };
}
