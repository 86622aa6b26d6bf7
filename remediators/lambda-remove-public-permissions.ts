import { LambdaClient, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { publicStatements } from '../policies/lambda-not-public';
import { defineRemediator } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  readFunction,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function';
import { parseResourcePolicy } from '../src/resources/resource-policy';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Removes exactly the statements that open the function to anyone (RemovePermission by Sid);
 * every other statement (a bucket's or a rule's scoped grant) stays as it is.
 */
export const lambdaRemovePublicPermissions = defineRemediator<LambdaFunctionSnapshot>({
  id: 'lambda-remove-public-permissions',
  description:
    "Removes the function policy's statements open to anyone (RemovePermission), keeping the others.",
  resourceType: LAMBDA_FUNCTION,
  iamActions: {
    read: [
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionEventInvokeConfig',
      'lambda:GetPolicy',
      'lambda:GetFunctionUrlConfig',
    ],
    write: ['lambda:RemovePermission'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.resourcePolicy, async (changes) => {
      const name = snapshot.functionName;
      const before = await readFunction(clients, snapshot.ref, name);
      if (!before) return resourceGone(changes, `function ${name}`);
      const open = publicStatements(before);
      if (open.length === 0) {
        return {
          status: 'already-compliant',
          changes,
          before: before.resourcePolicy,
          after: before.resourcePolicy,
        };
      }
      // AddPermission always names one; a statement without a Sid cannot be removed alone.
      if (open.some((o) => !o.sid)) {
        return {
          status: 'failed',
          changes,
          before: before.resourcePolicy,
          after: before.resourcePolicy,
          error: `function ${name} has a statement open to anyone without a Sid: RemovePermission cannot name it, nothing removed`,
        };
      }
      const removed = new Set(open.map((o) => o.sid!));
      const lambda = clients.get(LambdaClient, snapshot.ref);
      for (const s of open) {
        await lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: s.sid }));
        changes.push(
          `removed statement ${s.sid} (${s.actions.join(', ')} to *) of function ${name}`,
        );
      }
      const after = await readFunction(clients, snapshot.ref, name);
      const field = `resource policy of ${name}`;
      const keptBefore = parseResourcePolicy(before.resourcePolicy!, field).filter(
        (s) => !s.sid || !removed.has(s.sid),
      );
      const keptAfter = after?.resourcePolicy
        ? parseResourcePolicy(after.resourcePolicy, field)
        : [];
      if (
        !after ||
        publicStatements(after).length > 0 ||
        JSON.stringify(keptAfter) !== JSON.stringify(keptBefore)
      ) {
        return verificationFailed(
          changes,
          before.resourcePolicy,
          after?.resourcePolicy,
          `function ${name} is still open to anyone, or lost a statement it should keep`,
        );
      }
      return {
        status: 'reverted',
        changes,
        before: before.resourcePolicy,
        after: after.resourcePolicy,
      };
    }),
});
