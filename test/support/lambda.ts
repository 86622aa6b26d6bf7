import { CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { crc32 } from 'node:zlib';

/** A zip archive with one stored (uncompressed) file: enough for CreateFunction in moto. */
export function zipOf(name: string, content: string): Uint8Array {
  const data = Buffer.from(content);
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

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
