import { createRampart, type Rampart } from '../app';
import { ConfigRuleEvaluator, type ConfigRuleResult } from '../config-rules/evaluate';
import { errorMessage } from '../errors';
import { parseConfigRuleInvocation } from '../events/config-rule-invocation';
import { MalformedEventError } from '../events/errors';

/**
 * Builds the Lambda handler of Rampart's AWS Config custom rules. AWS Config invokes it
 * asynchronously: a thrown error makes Lambda retry the invocation and then send it to the
 * function's dead-letter queue, so no invocation is dropped without a trace.
 */
export function createConfigRuleHandler(
  rampart: Pick<Rampart, 'catalog' | 'config' | 'clients' | 'audit'>,
) {
  const evaluator = new ConfigRuleEvaluator(rampart);
  return async function handler(event: unknown): Promise<ConfigRuleResult> {
    let invocation;
    try {
      invocation = parseConfigRuleInvocation(event);
    } catch (error) {
      if (error instanceof MalformedEventError) {
        rampart.audit.recordFailed('(config rule invocation)', {
          name: error.name,
          message: errorMessage(error),
        });
      }
      throw error;
    }
    return evaluator.evaluate(invocation);
  };
}

let defaultHandler: ReturnType<typeof createConfigRuleHandler> | undefined;

/** Lambda entry point: wiring is built once per execution environment. */
export const handler = (event: unknown) => {
  defaultHandler ??= createConfigRuleHandler(createRampart());
  return defaultHandler(event);
};
