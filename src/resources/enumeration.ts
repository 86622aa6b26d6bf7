import type { EnumerationScope } from '../engine/definitions';

/**
 * Reads the details of one list page's resources under the sweep's concurrency bound and
 * returns the snapshots in list order; a resource that vanished in between (read gives
 * undefined) is left out.
 */
export async function readEach<I, S>(
  scope: EnumerationScope,
  items: readonly I[],
  read: (item: I) => Promise<S | undefined>,
): Promise<S[]> {
  scope.discovered?.(items.length);
  const read_ = await Promise.all(items.map((item) => scope.limit(() => read(item))));
  return read_.filter((s): s is Awaited<S> => s !== undefined) as S[];
}

/**
 * Follows a `NextToken`-style pagination to the end. The bound only guards against a
 * service (or an emulator) that keeps answering with a token.
 */
export async function* pages<P>(
  fetch: (token: string | undefined) => Promise<P>,
  nextToken: (page: P) => string | undefined,
  maxPages = 100_000,
): AsyncGenerator<P> {
  let token: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetch(token);
    yield page;
    token = nextToken(page);
    if (!token) return;
  }
}
