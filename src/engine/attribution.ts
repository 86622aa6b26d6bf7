import { actingAs } from '../aws/calls';
import type { AnyRemediator, AnyResourceType } from './definitions';

/**
 * The catalog runs each piece's AWS-facing code under the piece's name, so every SDK call is
 * known to come from one declaration (the IAM proof checks calls against it, benchmarks
 * count them per piece). Names are stable strings.
 */
export const pieceName = {
  reads: (type: string) => `reads ${type}`,
  enumerator: (type: string) => `enumerator ${type}`,
  remediator: (id: string) => `remediator ${id}`,
} as const;

/** An async iterable whose every step runs under `piece`. */
function attributedIterable<T>(piece: string, make: () => AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const inner = actingAs(piece, () => make()[Symbol.asyncIterator]());
      return {
        next: (value?: unknown) => actingAs(piece, () => inner.next(value)),
        return: (value?: unknown) =>
          actingAs(
            piece,
            () =>
              inner.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
          ),
      };
    },
  };
}

export function attributedType(type: AnyResourceType): AnyResourceType {
  const reads = pieceName.reads(type.type);
  const { enumerate, readTags } = type;
  return {
    ...type,
    collect: (clients, locator) => actingAs(reads, () => type.collect(clients, locator)),
    ...(readTags ? { readTags: attributedReadTags(reads, readTags) } : {}),
    ...(enumerate
      ? {
          enumerate: {
            ...enumerate,
            list: (clients, scope) =>
              attributedIterable(pieceName.enumerator(type.type), () =>
                enumerate.list(clients, scope),
              ),
          },
        }
      : {}),
  };
}

function attributedReadTags(
  piece: string,
  readTags: NonNullable<AnyResourceType['readTags']>,
): NonNullable<AnyResourceType['readTags']> {
  return (clients, snapshot) => actingAs(piece, () => readTags(clients, snapshot));
}

export function attributedRemediator(remediator: AnyRemediator): AnyRemediator {
  const piece = pieceName.remediator(remediator.id);
  return { ...remediator, remediate: (ctx) => actingAs(piece, () => remediator.remediate(ctx)) };
}
