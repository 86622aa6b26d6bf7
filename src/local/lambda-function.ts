import { CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { crc32 } from 'node:zlib';

/** A one-file zip archive (stored, not compressed): all Lambda CreateFunction needs in moto. */
export function zipOf(name: string, content: string): Uint8Array {
  const data = Buffer.from(content);
  const file = Buffer.from(name);
  const crc = crc32(data);
  const record = (signature: number, size: number, fields: Record<number, number>) => {
    const b = Buffer.alloc(size);
    b.writeUInt32LE(signature, 0);
    for (const [at, v] of Object.entries(fields)) b.writeUInt32LE(v >>> 0, Number(at));
    return b;
  };
  // Offsets per the ZIP spec: version, CRC-32, sizes, name length (local header and central directory).
  const local = record(0x04034b50, 30, {
    4: 20,
    14: crc,
    18: data.length,
    22: data.length,
    26: file.length,
  });
  const central = record(0x02014b50, 46, {
    4: 20 | (20 << 16),
    16: crc,
    20: data.length,
    24: data.length,
    28: file.length,
  });
  const end = record(0x06054b50, 22, {
    8: 1 | (1 << 16),
    12: central.length + file.length,
    16: local.length + file.length + data.length,
  });
  return Buffer.concat([local, file, data, central, file, end]);
}

/** An execution role Lambda may assume (moto checks that a function's role exists). */
export function createLambdaRole(iam: IAMClient, roleName: string) {
  return iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
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
}

/**
 * Creates an execution role (moto checks that it exists) and a Node.js function using it,
 * in the emulated account: for the demo and the tests.
 */
export async function createFunctionWithRole(iam: IAMClient, lambda: LambdaClient, name: string) {
  const role = await createLambdaRole(iam, `${name}-role`);
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      // Compliant with every policy but the one a test or scenario is about.
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 512,
      Role: role.Role!.Arn!,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf('index.js', 'exports.handler = async () => "ok";\n') },
    }),
  );
  return { roleName: role.Role!.RoleName!, roleArn: role.Role!.Arn!, functionArn: fn.FunctionArn! };
}
