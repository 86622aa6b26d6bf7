/**
 * Fills a gap of moto in the answers the real SDK client gets, without replacing the client:
 * a middleware on the very client instance AwsClients hands out, inside Rampart's own
 * (so the call is still named, tracked and recorded for the IAM proof), that edits or
 * replaces the answer of one command with its documented shape. Everything else reaches
 * moto unchanged. Each use says which moto gap it fills (docs/testing.md lists them).
 */
type Answer = (
  input: Record<string, unknown>,
  output: (() => Promise<Record<string, unknown>>) | undefined,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

interface StackClient {
  middlewareStack: {
    add(
      mw: (
        next: (args: unknown) => Promise<{ output: unknown }>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; priority: 'low'; name: string },
    ): void;
  };
}

let installed = 0;

/** `answers[commandName](input, moto)`: moto() asks moto for its own answer first. */
export function answerCommands(client: object, answers: Record<string, Answer>): void {
  (client as StackClient).middlewareStack.add(
    (next, context) => async (args) => {
      const answer = answers[String(context.commandName)];
      if (!answer) return next(args);
      const input = (args as { input: Record<string, unknown> }).input;
      const moto = async () => (await next(args)).output as Record<string, unknown>;
      return { output: { $metadata: {}, ...(await answer(input, moto)) } };
    },
    { step: 'initialize', priority: 'low', name: `answerCommands-${installed++}` },
  );
}
