import { LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import { functionSnapshot, readEventInvokeConfig, type LambdaFunctionSnapshot } from './index';

/**
 * ListFunctions (50 per page) carries the role and the legacy DeadLetterConfig; the
 * on-failure destination needs GetFunctionEventInvokeConfig per function.
 */
export const lambdaFunctionEnumerator: ResourceEnumerator<LambdaFunctionSnapshot> = {
  readActions: ['lambda:ListFunctions', 'lambda:GetFunctionEventInvokeConfig'],
  async *list(clients, scope) {
    const client = clients.get(LambdaClient, scope);
    for await (const page of paginateListFunctions({ client }, { MaxItems: 50 })) {
      const functions = (page.Functions ?? []).filter((f) => f.FunctionName);
      yield* await readEach(scope, functions, async (fn) =>
        functionSnapshot(scope, fn, await readEventInvokeConfig(clients, scope, fn.FunctionName!)),
      );
    }
  },
};
