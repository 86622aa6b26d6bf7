import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, type StackProps, aws_cloudformation as cfn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RampartConfig } from '../src/config';
import type { Catalog } from '../src/engine/catalog';
import { InfraError } from './errors';
import {
  RampartMemberEventsStack,
  RampartMemberRoleStack,
  type MemberStackProps,
} from './member-stacks';

/** CloudFormation's limit on a template passed inline (TemplateBody). */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

export interface OrganizationStackProps extends StackProps {
  catalog: Catalog;
  config: RampartConfig;
}

/**
 * The member stacks as service-managed StackSets, deployed from the organization's
 * management account (or a StackSets delegated administrator, `deployment.stackSets.callAs`):
 * to every account under `organization.organizationalUnits` but the excluded ones, with
 * automatic deployment to accounts that join those OUs later (and removal from those that
 * leave). The member role goes to one region (IAM is global), the event forwarding to every
 * watched region.
 */
export class RampartOrganizationStack extends Stack {
  readonly memberRole: cfn.CfnStackSet;
  readonly memberEvents: cfn.CfnStackSet;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, props);
    const { config } = props;
    const organization = config.organization;
    if (!organization) {
      throw new InfraError(
        'the organization stack needs the organization: section',
        'organization',
      );
    }
    const central = config.deployment.centralAccount;
    if (!central) {
      throw new InfraError(
        'deployment.centralAccount is required with organization: (the member stacks trust and forward to it)',
        'deployment.centralAccount',
      );
    }
    const excluded = organization.exclude.accounts;
    const targets = {
      organizationalUnitIds: organization.organizationalUnits,
      // StackSets can leave out accounts, not OUs: an excluded OU under a target gets the
      // stacks, and Rampart neither plans nor acts there (src/organization/coverage.ts).
      ...(excluded.length > 0 ? { accounts: excluded, accountFilterType: 'DIFFERENCE' } : {}),
    };
    const parameters = [{ parameterKey: 'CentralAccountId', parameterValue: central }];
    const common = {
      permissionModel: 'SERVICE_MANAGED',
      callAs: config.deployment.stackSets.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: 'PARALLEL',
        maxConcurrentPercentage: config.deployment.stackSets.maxConcurrentPercentage,
        failureTolerancePercentage: config.deployment.stackSets.failureTolerancePercentage,
      },
    };
    const templates = memberTemplates(props);
    this.memberRole = new cfn.CfnStackSet(this, 'MemberRole', {
      ...common,
      stackSetName: 'RampartMemberRole',
      description: 'Rampart member account: the remediation role the central evaluator assumes',
      templateBody: templates.role,
      parameters,
      stackInstancesGroup: [
        { deploymentTargets: targets, regions: [config.deployment.centralRegion] },
      ],
    });
    this.memberEvents = new cfn.CfnStackSet(this, 'MemberEvents', {
      ...common,
      stackSetName: 'RampartMemberEvents',
      description: 'Rampart member account and region: forwards watched changes to the central bus',
      templateBody: templates.events,
      parameters: [
        ...parameters,
        { parameterKey: 'CentralRegion', parameterValue: config.deployment.centralRegion },
      ],
      stackInstancesGroup: [{ deploymentTargets: targets, regions: config.deployment.regions }],
    });
    // The role first: the events stack's rules need nothing from it, but a member is only
    // useful once the evaluator can reach it.
    this.memberEvents.addDependency(this.memberRole);
  }
}

/** The member stacks' templates, synthesized on their own (no assets: they fit inline). */
function memberTemplates(props: MemberStackProps): { role: string; events: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'rampart-members-'));
  try {
    const app = new App({ outdir });
    new RampartMemberRoleStack(app, 'Role', props);
    new RampartMemberEventsStack(app, 'Events', props);
    const assembly = app.synth();
    const body = (name: string) => {
      const text = JSON.stringify(assembly.getStackByName(name).template);
      if (Buffer.byteLength(text) > MAX_TEMPLATE_BODY_BYTES) {
        throw new InfraError(
          `the member ${name} template is ${Buffer.byteLength(text)} bytes; a StackSet takes at most ${MAX_TEMPLATE_BODY_BYTES} inline`,
          'organization',
        );
      }
      return text;
    };
    return { role: body('Role'), events: body('Events') };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
