import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../src/engine/catalog';
import { pieceName } from '../../src/engine/attribution';

/**
 * The IAM proof: what each registry piece declares against what it sent during the test
 * suite. A call its piece does not declare would fail with AccessDenied once deployed (the
 * grants are built from the declarations); a declared action nothing sends is either dead
 * weight in the policy or a path no test takes. Actions AWS checks without Rampart sending
 * them (a KMS grant DynamoDB makes on the caller's behalf) are declared as `impliedBy`.
 */
/** Where each test file leaves the calls its pieces sent (test/support/record-sdk-calls.ts). */
export const SDK_CALLS_DIR = 'test/.artifacts/sdk-calls';
/** Names the current run's folder for the reporter (the global setup sets it). */
export const SDK_CALLS_DIR_ENV = 'RAMPART_SDK_CALLS_DIR';

/** A folder of one run's calls: two runs at once never mix (or clear) each other's. */
export function newCallsDir(): string {
  return join(SDK_CALLS_DIR, randomUUID());
}

export interface ObservedPieceCall {
  piece: string;
  action: string;
  count: number;
}

export function declaredByPiece(catalog: Catalog): Map<string, Set<string>> {
  const declared = new Map<string, Set<string>>();
  for (const type of catalog.resourceTypes.values()) {
    declared.set(pieceName.reads(type.type), new Set(type.readActions));
    if (type.enumerate) {
      declared.set(pieceName.enumerator(type.type), new Set(type.enumerate.readActions));
    }
  }
  for (const r of catalog.remediators.values()) {
    const implied = Object.keys(r.impliedActions ?? {});
    declared.set(
      pieceName.remediator(r.id),
      new Set([...r.iamActions.read, ...r.iamActions.write].filter((a) => !implied.includes(a))),
    );
  }
  return declared;
}

/**
 * Problems found, as sentences. `complete` says the whole suite ran: only then is a declared
 * but never-sent action a problem (a filtered run exercises less).
 */
export function iamProofProblems(
  catalog: Catalog,
  observed: readonly ObservedPieceCall[],
  complete: boolean,
): string[] {
  const declared = declaredByPiece(catalog);
  const sent = new Map<string, Set<string>>();
  const problems: string[] = [];
  for (const { piece, action } of observed) {
    const own = declared.get(piece);
    if (!own) {
      problems.push(`${piece}: not a piece of the catalog (sent ${action})`);
      continue;
    }
    if (!own.has(action)) {
      problems.push(
        `${piece} sends ${action}, which it does not declare (AccessDenied once deployed)`,
      );
    }
    const list = sent.get(piece) ?? new Set<string>();
    list.add(action);
    sent.set(piece, list);
  }
  if (complete) {
    for (const [piece, actions] of declared) {
      for (const action of actions) {
        if (!sent.get(piece)?.has(action)) {
          problems.push(`${piece} declares ${action}, but no test made it send that call`);
        }
      }
    }
  }
  return [...new Set(problems)].sort();
}

export function readObservedCalls(dir: string): ObservedPieceCall[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ObservedPieceCall[]);
}

export function clearObservedCalls(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
