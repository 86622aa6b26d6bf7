import {
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../aws/clients';
import { isAwsError } from '../shared';

/** Who may invoke the unqualified function: its resource policy and its function URL. */
export interface FunctionAccess {
  resourcePolicy?: string;
  functionUrlAuthType?: string;
}

/** The read actions `readFunctionAccess` needs. */
export const FUNCTION_ACCESS_READS = ['lambda:GetPolicy', 'lambda:GetFunctionUrlConfig'] as const;

/**
 * The function's resource policy and URL auth type (two calls, in parallel). A function
 * without either answers ResourceNotFoundException for it: absent.
 */
export async function readFunctionAccess(
  clients: AwsClients,
  scope: { account: string; region: string },
  functionName: string,
): Promise<FunctionAccess> {
  const lambda = clients.get(LambdaClient, scope);
  const absentIfNotFound = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  };
  const [policy, url] = await Promise.all([
    absentIfNotFound(() => lambda.send(new GetPolicyCommand({ FunctionName: functionName }))),
    absentIfNotFound(() =>
      lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: functionName })),
    ),
  ]);
  return {
    ...(policy?.Policy ? { resourcePolicy: policy.Policy } : {}),
    ...(url?.AuthType ? { functionUrlAuthType: url.AuthType } : {}),
  };
}
