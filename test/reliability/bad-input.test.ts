import type { SQSBatchResponse } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { createEvaluatorHandler } from '../../src/handlers/evaluator';
import {
  loadBadInput,
  meetsExpectation,
  observe,
  type BadInputCase,
  type Observed,
} from '../support/bad-input';
import { createStateTable, sqsEvent, sqsRecord } from '../support/reliability';

const dynamodb = new DynamoDBClient({});

/** With its own state table, so idempotency and the breaker are on the path as in production. */
async function build() {
  const table = await createStateTable(dynamodb, `rampart-state-${randomUUID()}`);
  const audit: AuditRecord[] = [];
  const log = new AuditLog(
    createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
  );
  log.subscribe((r) => audit.push(r));
  const rampart = createRampart({
    audit: log,
    config: parseConfig({ reliability: { stateTable: table } }, defaultCatalog()),
  });
  return { rampart, audit, handler: createEvaluatorHandler(rampart) };
}

describe('bad-input corpus through the SQS-batch handler', () => {
  const { cases, files } = loadBadInput();
  const built: Awaited<ReturnType<typeof build>>[] = [];
  afterAll(() => {
    built.forEach((b) => b.rampart.clients.destroy());
    dynamodb.destroy();
  });

  it('holds at least 50 cases, each file described once in the manifest', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(cases.map((c) => c.file).sort()).toEqual([...files].sort());
  });

  it('accounts for every case alone: skipped or dead-lettered with a reason, or audited', async () => {
    const b = await build();
    built.push(b);
    const mismatches: { case: BadInputCase['file']; expected: string; observed: Observed }[] = [];
    for (const c of cases) {
      const observed = await observe(b.handler, b.audit, c.body);
      if (!meetsExpectation(c, observed)) {
        mismatches.push({
          case: c.file,
          expected: `${c.expect} ${c.code ?? c.reason ?? ''}`,
          observed,
        });
      }
    }
    expect(mismatches).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('mixed batches of 10: no crash, exactly the malformed records fail, every record audited', async () => {
    const b = await build();
    built.push(b);
    const records = cases.map((c) => ({ c, record: sqsRecord(c.body) }));
    const failed = new Set<string>();
    for (let i = 0; i < records.length; i += 10) {
      const batch = records.slice(i, i + 10);
      const out = (await b.handler(sqsEvent(batch.map((r) => r.record)))) as SQSBatchResponse;
      out.batchItemFailures.forEach((f) => failed.add(f.itemIdentifier));
    }
    const expectedFailures = records
      .filter(({ c }) => c.expect === 'dead-letter')
      .map(({ record }) => record.messageId);
    const pending = records.filter(({ c }) => c.expect === 'skipped-or-dead-letter');
    const unexpected = [...failed].filter(
      (id) =>
        !expectedFailures.includes(id) && !pending.some(({ record }) => record.messageId === id),
    );
    expect(unexpected).toEqual([]);
    expect(expectedFailures.filter((id) => !failed.has(id))).toEqual([]);
    // Every failed record is logged with its reason; every other one left an audit line.
    const loggedFailures = b.audit.filter((r) => r.audit === 'record-failed');
    expect(new Set(loggedFailures.map((r) => r.messageId))).toEqual(failed);
    const others = b.audit.filter(
      (r) => r.audit === 'skipped' || r.audit === 'not-found' || r.audit === 'outcome',
    );
    expect(others.length + loggedFailures.length).toBe(cases.length);
  });
});
