import {
  Aws,
  CfnParameter,
  Duration,
  Stack,
  type StackProps,
  Tags,
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RampartConfig } from '../src/config';
import type { Catalog } from '../src/engine/catalog';
import { DEAD_LETTER_TAG } from '../src/resources/sqs-queue';
import {
  EVALUATOR_ROLE_NAME,
  OWN_SESSION_NAMES,
  REMEDIATION_ROLE_NAME,
} from '../src/config/own-identity';
import { CENTRAL_BUS_NAME } from './central-stack';
import { crossAccountScope } from './cross-account';
import { cloudTrailRules, configChangePattern, watchedConfigTypes } from './event-patterns';
import { addGrants, fenceOwnPermissions } from './grants';
import { NAG_SCOPE, acknowledge, acknowledgeGrantFindings } from './nag';
import { evaluatorActions, evaluatorGrants, isPolicyEnabled } from './permissions';

/** The member role's permissions boundary (a managed policy of this name in each member). */
export const REMEDIATION_BOUNDARY_NAME = 'RampartRemediationBoundary';

export interface MemberStackProps extends StackProps {
  catalog: Catalog;
  config: RampartConfig;
}

/** StackSets pass the central account as a parameter; the config gives its default. */
function centralAccountParameter(stack: Stack, config: RampartConfig): CfnParameter {
  return new CfnParameter(stack, 'CentralAccountId', {
    type: 'String',
    description: 'Account id of the Rampart central stack',
    allowedPattern: '^\\d{12}$',
    constraintDescription: 'a 12-digit AWS account id',
    ...(config.deployment.centralAccount ? { default: config.deployment.centralAccount } : {}),
  });
}

/**
 * IAM is global: deploy this once per member account (one region of the StackSet). The
 * role the central evaluator assumes, with the same declared permissions as the evaluator.
 */
export class RampartMemberRoleStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, props);
    const central = centralAccountParameter(this, props.config);
    const reach = crossAccountScope(props.config);
    // Only the central evaluator role, only under the session names Rampart's functions use
    // (so a human who got hold of that role is still not "Rampart" here), only from inside the
    // organization when there is one.
    const evaluator = new iam.ArnPrincipal(
      `arn:${Aws.PARTITION}:iam::${central.valueAsString}:role/${EVALUATOR_ROLE_NAME}`,
    ).withConditions({
      StringEquals: {
        'sts:RoleSessionName': [...OWN_SESSION_NAMES],
        ...(reach.kind === 'organization' ? { 'aws:PrincipalOrgID': reach.organizationId } : {}),
      },
    });
    this.role = new iam.Role(this, 'RemediationRole', {
      roleName: REMEDIATION_ROLE_NAME,
      description: 'Assumed by the Rampart evaluator of the central account, and by nothing else',
      assumedBy: evaluator,
      maxSessionDuration: Duration.hours(1),
    });
    const actions = evaluatorActions(props.catalog, props.config);
    acknowledgeGrantFindings(this.role, evaluatorGrants(actions, NAG_SCOPE));
    addGrants(
      this.role,
      evaluatorGrants(actions, { partition: Aws.PARTITION, account: Aws.ACCOUNT_ID }),
    );
    fenceOwnPermissions(this.role, {
      boundaryName: REMEDIATION_BOUNDARY_NAME,
      ownRoleArns: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${REMEDIATION_ROLE_NAME}`],
    });
  }
}

/**
 * Deploy in every member account and watched region: forwards the same generated patterns
 * from the default bus to the central bus (which accepts only the organization).
 */
export class RampartMemberEventsStack extends Stack {
  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, props);
    const central = centralAccountParameter(this, props.config);
    const centralRegion = new CfnParameter(this, 'CentralRegion', {
      type: 'String',
      description: 'Region of the Rampart central stack',
      default: props.config.deployment.centralRegion,
    });
    const centralBusArn = `arn:${Aws.PARTITION}:events:${centralRegion.valueAsString}:${central.valueAsString}:event-bus/${CENTRAL_BUS_NAME}`;
    const centralBus = events.EventBus.fromEventBusArn(this, 'CentralBus', centralBusArn);
    const forwarderRole = new iam.Role(this, 'ForwarderRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Lets EventBridge put the matched events on the Rampart central bus',
    });
    forwarderRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [centralBusArn] }),
    );
    // Events that cannot be delivered to the central bus wait here for 14 days.
    const undelivered = new sqs.Queue(this, 'UndeliveredEvents', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Rampart's own sqs-has-dlq policy recognizes a dead-letter queue by this tag: the
    // template cannot show that an EventBridge target, not a queue, sends to it.
    Tags.of(undelivered).add(DEAD_LETTER_TAG, 'true');
    const target = new targets.EventBus(centralBus, {
      role: forwarderRole,
      deadLetterQueue: undelivered,
    });
    acknowledge(
      undelivered,
      'This queue is itself the dead-letter queue of the forwarding rules.',
      'AwsSolutions-SQS3',
    );
    const enabled = isPolicyEnabled(props.config);
    for (const rule of cloudTrailRules(props.catalog, enabled)) {
      new events.Rule(this, `Forward-${rule.id}`, {
        description: `Rampart: forward ${rule.eventSource} changes to the central bus`,
        eventPattern: rule.pattern as events.EventPattern,
        targets: [target],
      });
    }
    const configPattern = configChangePattern(watchedConfigTypes(props.catalog, enabled));
    if (configPattern) {
      new events.Rule(this, 'Forward-ConfigItemChange', {
        description: 'Rampart: forward AWS Config item changes to the central bus',
        eventPattern: configPattern as events.EventPattern,
        targets: [target],
      });
    }
  }
}
