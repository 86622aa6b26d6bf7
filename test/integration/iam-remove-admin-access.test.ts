import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { SchedulerDeadlines } from '../../src/exceptions/deadline';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

// IAM is global: this file isolates itself by name prefix.
const P = 'it-iam-';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});
const EVERYTHING = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['*'], Resource: '*' }],
});
const SCOPED = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }],
});

const iamEvent = (eventName: string, requestParameters: Record<string, unknown>) =>
  cloudTrailEnvelope({
    eventSource: 'iam.amazonaws.com',
    eventName,
    requestParameters,
    responseElements: null,
  });

describe('admin access is taken away from IAM principals (moto, managed policies loaded)', () => {
  let enforcing: Rampart;
  let notifying: Rampart;
  let clients: RecordingClients;
  let iam: IAMClient;

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    enforcing = createRampart({
      clients,
      config: parseConfig(
        {
          policies: {
            'iam-no-admin-access': {
              mode: 'enforce',
              parameters: { allowedPrincipals: [`role/${P}break-glass`] },
            },
          },
        },
        defaultCatalog(),
      ),
    });
    // The default mode, approve, with its deadline scheduled in moto's EventBridge Scheduler.
    notifying = createRampart({
      clients,
      humanLoop: {
        reporters: [],
        approvals: new SchedulerDeadlines(clients, {
          targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:rampart-evaluator',
          roleArn: 'arn:aws:iam::123456789012:role/RampartSchedulerRole',
          deadlineMinutes: 15,
        }),
      },
    });
    iam = new IAMClient({ region: 'us-east-1' });
  });
  afterAll(() => {
    clients.destroy();
    iam.destroy();
  });

  const rolePolicies = async (name: string) => ({
    attached: (
      await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))
    ).AttachedPolicies?.map((p) => p.PolicyArn).sort(),
    inline: (await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames?.sort(),
  });
  const userPolicies = async (name: string) => ({
    attached: (
      await iam.send(new ListAttachedUserPoliciesCommand({ UserName: name }))
    ).AttachedPolicies?.map((p) => p.PolicyArn).sort(),
    inline: (await iam.send(new ListUserPoliciesCommand({ UserName: name }))).PolicyNames?.sort(),
  });

  it('by default awaits approval: AdministratorAccess stays attached until the deadline', async () => {
    await iam.send(
      new CreateRoleCommand({ RoleName: `${P}notify`, AssumeRolePolicyDocument: TRUST }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: `${P}notify`, PolicyArn: ADMIN }));
    clients.reset();
    const result = await notifying.evaluator.handleEvent(
      iamEvent('AttachRolePolicy', { roleName: `${P}notify`, policyArn: ADMIN }),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'awaiting-approval',
    );
    expect(clients.writes()).toEqual(['CreateScheduleCommand']); // the deadline, nothing in IAM
    expect((await rolePolicies(`${P}notify`)).attached).toEqual([ADMIN]);
  });

  it('in enforce mode detaches AdministratorAccess and deletes a * on * inline policy, keeping everything else; then is a no-op', async () => {
    const role = `${P}deployer`;
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: TRUST }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: ADMIN }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: READ_ONLY }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: role,
        PolicyName: 'god-mode',
        PolicyDocument: EVERYTHING,
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: role, PolicyName: 'iam-admin', PolicyDocument: SCOPED }),
    );
    const bystander = `${P}bystander`;
    await iam.send(new CreateRoleCommand({ RoleName: bystander, AssumeRolePolicyDocument: TRUST }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: bystander, PolicyArn: ADMIN }));
    const bystanderBefore = await rolePolicies(bystander);

    const event = iamEvent('PutRolePolicy', {
      roleName: role,
      policyName: 'god-mode',
      policyDocument: EVERYTHING,
    });
    const result = await enforcing.evaluator.handleEvent(event);
    const outcome = result.status === 'handled' ? result.resources[0]!.outcomes[0]! : undefined;
    expect(outcome).toMatchObject({
      policyId: 'iam-no-admin-access',
      status: 'reverted',
      changes: [
        `detached ${ADMIN} from role ${role}`,
        `deleted inline policy god-mode of role ${role} (document in before)`,
      ],
    });
    // The deleted document is in the audit record, so it can be put back.
    expect(JSON.stringify(outcome!.before)).toContain('god-mode');
    expect(await rolePolicies(role)).toEqual({ attached: [READ_ONLY], inline: ['iam-admin'] });
    expect(await rolePolicies(bystander)).toEqual(bystanderBefore);

    clients.reset();
    const again = await enforcing.evaluator.handleEvent(event);
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('strips a group and a user alike: managed AdministratorAccess detached, * on * inline deleted', async () => {
    const group = `${P}operators`;
    await iam.send(new CreateGroupCommand({ GroupName: group }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: group, PolicyArn: ADMIN }));
    await iam.send(
      new PutGroupPolicyCommand({
        GroupName: group,
        PolicyName: 'all',
        PolicyDocument: EVERYTHING,
      }),
    );
    const groupResult = await enforcing.evaluator.handleEvent(
      iamEvent('AttachGroupPolicy', { groupName: group, policyArn: ADMIN }),
    );
    expect(groupResult.status === 'handled' && groupResult.resources[0]!.outcomes[0]).toMatchObject(
      {
        status: 'reverted',
        changes: [
          `detached ${ADMIN} from group ${group}`,
          `deleted inline policy all of group ${group} (document in before)`,
        ],
      },
    );
    expect(
      (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: group }))).AttachedPolicies,
    ).toEqual([]);
    expect(
      (await iam.send(new ListGroupPoliciesCommand({ GroupName: group }))).PolicyNames,
    ).toEqual([]);

    const user = `${P}contractor`;
    await iam.send(new CreateUserCommand({ UserName: user }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: user, PolicyName: 'all', PolicyDocument: EVERYTHING }),
    );
    const userResult = await enforcing.evaluator.handleEvent(
      iamEvent('PutUserPolicy', { userName: user, policyName: 'all', policyDocument: EVERYTHING }),
    );
    expect(userResult.status === 'handled' && userResult.resources[0]!.outcomes[0]).toMatchObject({
      status: 'reverted',
      changes: [`deleted inline policy all of user ${user} (document in before)`],
    });
    expect(await userPolicies(user)).toEqual({ attached: [], inline: [] });
  });

  it('judges a new * on * policy version on every attached entity except break-glass', async () => {
    const policy = await iam.send(
      new CreatePolicyCommand({ PolicyName: `${P}deploy`, PolicyDocument: SCOPED }),
    );
    const arn = policy.Policy!.Arn!;
    await iam.send(new CreateUserCommand({ UserName: `${P}alice` }));
    await iam.send(new AttachUserPolicyCommand({ UserName: `${P}alice`, PolicyArn: arn }));
    await iam.send(
      new CreateRoleCommand({ RoleName: `${P}break-glass`, AssumeRolePolicyDocument: TRUST }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: `${P}break-glass`, PolicyArn: arn }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: `${P}alice`,
        PolicyName: 'scoped',
        PolicyDocument: SCOPED,
      }),
    );
    await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: EVERYTHING,
        SetAsDefault: true,
      }),
    );

    const result = await enforcing.evaluator.handleEvent(
      iamEvent('CreatePolicyVersion', {
        policyArn: arn,
        policyDocument: EVERYTHING,
        setAsDefault: true,
      }),
    );
    expect(result.status === 'handled' && result.resources[0]).toMatchObject({
      resource: { type: 'AWS::IAM::Policy', id: `policy/${P}deploy` },
      outcomes: [{ status: 'reverted', changes: [`detached ${arn} from user ${P}alice`] }],
    });
    expect(await userPolicies(`${P}alice`)).toEqual({ attached: [], inline: ['scoped'] });
    expect((await rolePolicies(`${P}break-glass`)).attached).toEqual([arn]);
  });

  it('the default configuration on a real organization: AWS-provisioned admin roles are reported, never stripped; look-alikes are', async () => {
    // Default mode (approve) with no deadline scheduler reverts at once: the riskiest default.
    const defaults = createRampart({ clients });
    const kept = [
      { RoleName: 'OrganizationAccountAccessRole', Path: '/' },
      {
        RoleName: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
        Path: '/aws-reserved/sso.amazonaws.com/',
      },
      { RoleName: 'AWSControlTowerExecution', Path: '/' },
      { RoleName: 'cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1', Path: '/' },
    ];
    const stripped = [
      { RoleName: 'OrganizationAccountAccessRole-dev', Path: '/' },
      { RoleName: 'AWSReservedSSO_AdministratorAccess_fedcba9876543210', Path: '/' },
    ];
    for (const role of [...kept, ...stripped]) {
      await iam.send(new CreateRoleCommand({ ...role, AssumeRolePolicyDocument: TRUST }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: ADMIN }));
    }
    for (const role of kept) {
      clients.reset();
      const result = await defaults.evaluator.handleEvent(
        iamEvent('AttachRolePolicy', { roleName: role.RoleName, policyArn: ADMIN }),
      );
      const resource = result.status === 'handled' ? result.resources[0] : undefined;
      expect(resource?.evaluations[0]?.status, role.RoleName).toBe('violation');
      expect(resource?.decisions[0]?.reason, role.RoleName).toMatch(
        /^reported, not reverted: role /,
      );
      expect(resource?.outcomes[0]?.status, role.RoleName).toBe('notified');
      expect(clients.writes(), role.RoleName).toEqual([]);
      expect((await rolePolicies(role.RoleName)).attached, role.RoleName).toEqual([ADMIN]);
    }
    for (const role of stripped) {
      const result = await defaults.evaluator.handleEvent(
        iamEvent('AttachRolePolicy', { roleName: role.RoleName, policyArn: ADMIN }),
      );
      expect(
        result.status === 'handled' && result.resources[0]!.outcomes[0]!.status,
        role.RoleName,
      ).toBe('reverted');
      expect((await rolePolicies(role.RoleName)).attached, role.RoleName).toEqual([]);
    }
  });
});
