import { randomUUID } from 'node:crypto';
import { AwsClients, type ClientScope } from '../../src/aws/clients';

const READ_PREFIXES = ['Get', 'List', 'Describe', 'BatchGet'];

/** True for a command that only reads (`GetQueueAttributesCommand`, `ListTargetsByRuleCommand`). */
export function isReadCommand(name: string): boolean {
  return READ_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * AwsClients that record the command name of every call any of its clients sends, so a
 * test can prove that a second run wrote nothing, whatever the services involved.
 */
export class RecordingClients extends AwsClients {
  readonly calls: string[] = [];
  /** Every call with its input, in order (for asserting what was sent). */
  readonly sent: { command: string; input: unknown }[] = [];
  private readonly instrumented = new WeakSet<object>();

  override get<C extends { destroy(): void }>(
    ctor: new (config: { region: string; maxAttempts?: number; retryMode?: string }) => C,
    scope: ClientScope,
  ): C {
    const client = super.get(ctor, scope);
    if (!this.instrumented.has(client)) {
      this.instrumented.add(client);
      (
        client as unknown as { middlewareStack: { add: (m: unknown, o: unknown) => void } }
      ).middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
          async (args: unknown) => {
            this.calls.push(String(context.commandName));
            this.sent.push({
              command: String(context.commandName),
              input: (args as { input?: unknown }).input,
            });
            return next(args);
          },
        { step: 'initialize', name: `recordCalls-${randomUUID()}` },
      );
    }
    return client;
  }

  /** Write calls recorded since the last `reset()`. */
  writes(): string[] {
    return this.calls.filter((c) => !isReadCommand(c));
  }

  reset(): void {
    this.calls.length = 0;
    this.sent.length = 0;
  }
}
