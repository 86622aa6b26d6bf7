import { LambdaClient, UpdateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { defineRemediator } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  readFunction,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Sets the function URL's auth type to AWS_IAM (UpdateFunctionUrlConfig): the URL, its CORS
 * settings and invoke mode stay; the URL is never deleted, so callers that sign keep working.
 */
export const lambdaUrlRequireIam = defineRemediator<LambdaFunctionSnapshot>({
  id: 'lambda-url-require-iam',
  description: 'Makes the function URL require IAM authentication (AuthType AWS_IAM).',
  resourceType: LAMBDA_FUNCTION,
  iamActions: {
    read: [
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionEventInvokeConfig',
      'lambda:GetPolicy',
      'lambda:GetFunctionUrlConfig',
    ],
    write: ['lambda:UpdateFunctionUrlConfig'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.functionUrlAuthType, async (changes) => {
      const name = snapshot.functionName;
      const before = await readFunction(clients, snapshot.ref, name);
      if (!before) return resourceGone(changes, `function ${name}`);
      if (before.functionUrlAuthType !== 'NONE') {
        return {
          status: 'already-compliant',
          changes,
          before: before.functionUrlAuthType,
          after: before.functionUrlAuthType,
        };
      }
      await clients
        .get(LambdaClient, snapshot.ref)
        .send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'AWS_IAM' }));
      changes.push(`set the URL of function ${name} to auth type AWS_IAM`);
      const after = await readFunction(clients, snapshot.ref, name);
      if (after?.functionUrlAuthType !== 'AWS_IAM') {
        return verificationFailed(
          changes,
          'NONE',
          after?.functionUrlAuthType,
          `the URL of function ${name} still does not require IAM`,
        );
      }
      return { status: 'reverted', changes, before: 'NONE', after: 'AWS_IAM' };
    }),
});
