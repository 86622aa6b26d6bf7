import { App, Validations, type StackProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RampartChecks } from '../src/check/cdk';
import type { Catalog } from '../src/engine/catalog';
import { RampartCentralStack } from './central-stack';
import type { DeploymentInput } from './config';
import { RampartMemberEventsStack, RampartMemberRoleStack } from './member-stacks';
import { acknowledge } from './nag';
import { RampartOrganizationStack } from './stack-sets';

export interface RampartStacks {
  central: RampartCentralStack;
  memberRole: RampartMemberRoleStack;
  memberEvents: RampartMemberEventsStack;
  /** With `organization:`: the member stacks as service-managed StackSets. */
  organization?: RampartOrganizationStack;
}

/**
 * The three stacks: central (deploy once), member role (once per member account) and member
 * events (per member account and region, via StackSets). Env-agnostic unless the config
 * names the central account, so `cdk synth` needs no credentials.
 */
export function buildRampart(app: App, catalog: Catalog, input: DeploymentInput): RampartStacks {
  const { config } = input;
  const centralEnv: StackProps['env'] = config.deployment.centralAccount
    ? { account: config.deployment.centralAccount, region: config.deployment.centralRegion }
    : undefined;
  const central = new RampartCentralStack(app, 'RampartCentral', {
    description: 'Rampart central account: event buffer, evaluator, alarms',
    ...(centralEnv ? { env: centralEnv } : {}),
    catalog,
    config,
    runtimeConfigJson: input.runtimeConfigJson,
  });
  const memberRole = new RampartMemberRoleStack(app, 'RampartMemberRole', {
    description: 'Rampart member account: the remediation role the central evaluator assumes',
    catalog,
    config,
  });
  const memberEvents = new RampartMemberEventsStack(app, 'RampartMemberEvents', {
    description: 'Rampart member account and region: forwards watched changes to the central bus',
    catalog,
    config,
  });
  const organization = config.organization
    ? new RampartOrganizationStack(app, 'RampartOrganization', {
        description:
          'Rampart member stacks as service-managed StackSets (management account or delegated administrator)',
        catalog,
        config,
      })
    : undefined;
  // Rampart's own functions are traced by their audit trail; active X-Ray tracing would grant
  // xray:PutTraceSegments on `*`, a write the roles otherwise never hold.
  acknowledge(
    central,
    "Rampart's functions audit every decision as structured logs (docs/architecture.md); X-Ray tracing would need an xray:Put* grant on `*`, and Rampart's roles hold no write on `*` but config:PutEvaluations.",
    'Rampart::lambda-tracing-active',
  );
  // Synthesis fails on any unacknowledged cdk-nag finding, and on any violation of
  // Rampart's own policies in Rampart's own templates.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new RampartChecks({
      configDocument: JSON.parse(input.runtimeConfigJson) as Record<string, unknown>,
    }),
  );
  return { central, memberRole, memberEvents, ...(organization ? { organization } : {}) };
}
