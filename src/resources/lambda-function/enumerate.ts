import { LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import { FUNCTION_ACCESS_READS, readFunctionAccess } from './access';
import { functionSnapshot, readEventInvokeConfig, type LambdaFunctionSnapshot } from './index';

/**
 * ListFunctions (50 per page) carries the role and the legacy DeadLetterConfig; the
 * on-failure destination needs GetFunctionEventInvokeConfig per function, who may invoke
 * it GetPolicy and GetFunctionUrlConfig.
 */
export const lambdaFunctionEnumerator: ResourceEnumerator<LambdaFunctionSnapshot> = {
  readActions: [
    'lambda:ListFunctions',
    'lambda:GetFunctionEventInvokeConfig',
    ...FUNCTION_ACCESS_READS,
  ],
  async *list(clients, scope) {
    const client = clients.get(LambdaClient, scope);
    for await (const page of paginateListFunctions({ client }, { MaxItems: 50 })) {
      const functions = (page.Functions ?? []).filter((f) => f.FunctionName);
      yield* await readEach(scope, functions, async (fn) => {
        const [eventInvokeConfig, access] = await Promise.all([
          readEventInvokeConfig(clients, scope, fn.FunctionName!),
          readFunctionAccess(clients, scope, fn.FunctionName!),
        ]);
        return functionSnapshot(scope, fn, eventInvokeConfig, access);
      });
    }
  },
};
