import { CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { zipOf } from '../../src/local/zip';

/** Creates an execution role (moto checks it exists) and a Node.js function using it. */
export async function seedFunction(iam: IAMClient, lambda: LambdaClient, name: string) {
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: `${name}-role`,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: role.Role!.Arn!,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf('index.js', 'exports.handler = async () => "ok";\n') },
    }),
  );
  return { roleName: role.Role!.RoleName!, roleArn: role.Role!.Arn!, functionArn: fn.FunctionArn! };
}
