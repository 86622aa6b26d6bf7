import { ownSessionName } from '../../src/config/own-identity';
import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { AssumeRoleError, RoleSessions, crossAccountFromEnv } from '../../src/aws/role-sessions';

const REGION = 'ca-central-1'; // this file's own region in the shared moto server
const HOME = '123456789012';
const MEMBER = '210987654321';

/** An STS client that counts the AssumeRole calls it sends. */
function countingSts(): { sts: STSClient; calls: string[] } {
  const sts = new STSClient({ region: REGION });
  const calls: string[] = [];
  sts.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'count' },
  );
  return { sts, calls };
}

async function groupNames(ec2: EC2Client): Promise<string[]> {
  const out = await ec2.send(new DescribeSecurityGroupsCommand({}));
  return (out.SecurityGroups ?? []).map((g) => g.GroupName!);
}

describe('cross-account clients (moto STS AssumeRole)', () => {
  const { sts, calls } = countingSts();
  let now = Date.now();
  const clients = new AwsClients({
    crossAccount: { roleName: 'RampartRemediationRole', homeAccount: HOME, sts, now: () => now },
  });
  const homeEc2 = new EC2Client({ region: REGION });
  afterAll(() => {
    clients.destroy();
    sts.destroy();
    homeEc2.destroy();
  });

  it('acts in the target account through the assumed role, and in the home account as itself', async () => {
    const memberEc2 = clients.get(EC2Client, { region: REGION, account: MEMBER });
    const name = `rampart-cross-${randomUUID()}`;
    await memberEc2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: 'x' }));
    expect(await groupNames(memberEc2)).toContain(name);
    expect(await groupNames(homeEc2)).not.toContain(name); // not created in the home account

    const memberSts = clients.get(STSClient, { region: REGION, account: MEMBER });
    const identity = await memberSts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(MEMBER);
    // Outside Lambda the session is `rampart-cli`: a local run is not one of Rampart's own
    // deployed functions, so its changes are evaluated like anyone's.
    expect(identity.Arn).toBe(
      `arn:aws:sts::${MEMBER}:assumed-role/RampartRemediationRole/rampart-cli`,
    );

    const before = calls.length;
    const home = clients.get(STSClient, { region: REGION, account: HOME });
    expect((await home.send(new GetCallerIdentityCommand({}))).Account).toBe(HOME);
    expect(calls.length).toBe(before); // no role for the home account
  });

  it('shares one session per account across clients and renews it only near expiry', async () => {
    const sessions = new RoleSessions({
      roleName: 'RampartRemediationRole',
      homeAccount: HOME,
      sts,
      now: () => now,
    });
    calls.length = 0;
    const [a, b] = await Promise.all([
      sessions.session('111111111111', REGION),
      sessions.session('111111111111', REGION),
    ]);
    expect(a).toBe(b);
    expect(calls).toEqual(['AssumeRoleCommand']); // concurrent callers share one call
    await sessions.session('111111111111', REGION);
    expect(calls).toHaveLength(1);

    now = a.expiresAt - 4 * 60_000; // inside the 5-minute renewal margin
    const renewed = await sessions.session('111111111111', REGION);
    expect(calls).toHaveLength(2);
    expect(renewed).not.toBe(a);
    now = Date.now();
  });

  it('names the account and role when the role cannot be assumed', async () => {
    const failing = {
      send: async () => {
        throw Object.assign(new Error('not authorized to perform sts:AssumeRole'), {
          name: 'AccessDenied',
        });
      },
      destroy: () => undefined,
    } as unknown as STSClient;
    const sessions = new RoleSessions({
      roleName: 'RampartRemediationRole',
      homeAccount: HOME,
      sts: failing,
    });
    const error = await sessions.session(MEMBER, REGION).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssumeRoleError);
    expect(error).toMatchObject({
      account: MEMBER,
      roleArn: `arn:aws:iam::${MEMBER}:role/RampartRemediationRole`,
    });
  });

  it('takes its settings from the variables the stack sets, and none without them', () => {
    expect(crossAccountFromEnv({})).toBeUndefined();
    expect(
      crossAccountFromEnv({
        RAMPART_REMEDIATION_ROLE_NAME: 'RampartRemediationRole',
        RAMPART_HOME_ACCOUNT: HOME,
      }),
    ).toEqual({ roleName: 'RampartRemediationRole', homeAccount: HOME });
  });
});

describe('the session name Rampart assumes member roles under', () => {
  it('is the deployed function’s own name, or rampart-cli for anything else', () => {
    expect(ownSessionName({ AWS_LAMBDA_FUNCTION_NAME: 'rampart-evaluator' })).toBe(
      'rampart-evaluator',
    );
    expect(ownSessionName({ AWS_LAMBDA_FUNCTION_NAME: 'rampart-sweep' })).toBe('rampart-sweep');
    // Another function (or a look-alike name) gets no session name that counts as Rampart's.
    expect(ownSessionName({ AWS_LAMBDA_FUNCTION_NAME: 'rampart-evaluator-dev' })).toBe(
      'rampart-cli',
    );
    expect(ownSessionName({})).toBe('rampart-cli');
  });
});
