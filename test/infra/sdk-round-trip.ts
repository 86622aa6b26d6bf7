import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';

/**
 * Calls that exercise what infra/sdk-tree-shaking.ts rewrites: EC2 query-protocol names
 * (xmlName/ec2QueryName traits), query-string and header bindings (Lambda), awsQuery
 * compatible error codes (SQS) and modeled errors from the clients' error registries (RDS,
 * DynamoDB, IAM, Lambda). test/infra/bundle.test.ts runs it both bundled and unbundled.
 * Uses AWS_ENDPOINT_URL and AWS_REGION from the environment; `tag` keeps runs apart.
 */
export async function roundTrip(tag: string): Promise<Record<string, unknown>> {
  const options = { maxAttempts: 1 };
  const ec2 = new EC2Client(options);
  const group = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: `round-trip-${tag}`, Description: 'bundle' }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: group.GroupId!,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }],
        },
      ],
    }),
  );
  const rules = await ec2.send(
    new DescribeSecurityGroupRulesCommand({
      Filters: [{ Name: 'group-id', Values: [group.GroupId!] }],
    }),
  );
  const groups = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [group.GroupId!] }));

  const errorOf = async (call: () => Promise<unknown>) => {
    try {
      await call();
      return 'no error';
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      return `${e.name} ${e.$metadata?.httpStatusCode}`;
    }
  };
  const lambda = new LambdaClient(options);
  return {
    ingress: (rules.SecurityGroupRules ?? [])
      .filter((r) => !r.IsEgress)
      .map((r) => [
        r.GroupId === group.GroupId,
        r.IpProtocol,
        r.FromPort,
        r.ToPort,
        r.CidrIpv4,
        r.Description,
      ]),
    group: groups.SecurityGroups?.map((g) => [
      g.GroupName === `round-trip-${tag}`,
      g.Description,
      g.IpPermissions?.length,
    ]),
    functions: Array.isArray(
      (await lambda.send(new ListFunctionsCommand({ MaxItems: 5 }))).Functions,
    ),
    errors: {
      rds: await errorOf(() =>
        new RDSClient(options).send(
          new DescribeDBInstancesCommand({ DBInstanceIdentifier: `none-${tag}` }),
        ),
      ),
      dynamodb: await errorOf(() =>
        new DynamoDBClient(options).send(new DescribeTableCommand({ TableName: `none-${tag}` })),
      ),
      iam: await errorOf(() =>
        new IAMClient(options).send(new GetRoleCommand({ RoleName: `none-${tag}` })),
      ),
      lambda: await errorOf(() =>
        lambda.send(new GetFunctionCommand({ FunctionName: `none-${tag}`, Qualifier: '$LATEST' })),
      ),
      sqs: await errorOf(() =>
        new SQSClient(options).send(new GetQueueUrlCommand({ QueueName: `none-${tag}` })),
      ),
    },
  };
}
