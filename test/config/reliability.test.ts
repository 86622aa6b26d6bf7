import { describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { ConfigError, parseConfig } from '../../src/config';
import { reliabilitySettings } from '../../src/config/reliability';
import { RevertBreaker } from '../../src/reliability/revert-breaker';
import { idempotencyFor, revertBreakerFor } from '../../src/reliability/wiring';

describe('reliability configuration', () => {
  it('fills the documented defaults; without a state table both mechanisms are off', () => {
    const settings = reliabilitySettings(undefined, {});
    expect(settings).toEqual({
      idempotency: { enabled: true, expiresAfterSeconds: 3600 },
      revertBreaker: { enabled: true, maxReverts: 3, windowMinutes: 10, cooldownMinutes: 60 },
    });
    const config = { ...parseConfig({}, defaultCatalog()), reliability: settings };
    const clients = new AwsClients();
    expect(revertBreakerFor(config, clients)).toBeUndefined();
    expect(idempotencyFor({ config, clients }, async () => 1)).toBeUndefined();
  });

  it('takes the table from RAMPART_STATE_TABLE unless the file names one', () => {
    expect(reliabilitySettings({}, { RAMPART_STATE_TABLE: 'from-env' }).stateTable).toBe(
      'from-env',
    );
    expect(
      reliabilitySettings({ stateTable: 'from-file' }, { RAMPART_STATE_TABLE: 'from-env' })
        .stateTable,
    ).toBe('from-file');
  });

  it('wires the breaker and idempotency when a table is set, and not when disabled', () => {
    const catalog = defaultCatalog();
    const clients = new AwsClients();
    const on = parseConfig({ reliability: { stateTable: 'rampart-state' } }, catalog);
    expect(revertBreakerFor(on, clients)).toBeInstanceOf(RevertBreaker);
    expect(idempotencyFor({ config: on, clients }, async () => 1)).toBeDefined();
    const off = parseConfig(
      {
        reliability: {
          stateTable: 'rampart-state',
          revertBreaker: { enabled: false },
          idempotency: { enabled: false },
        },
      },
      catalog,
    );
    expect(revertBreakerFor(off, clients)).toBeUndefined();
    expect(idempotencyFor({ config: off, clients }, async () => 1)).toBeUndefined();
    clients.destroy();
  });

  it('names a wrong value and an unknown key', () => {
    const problems = (raw: unknown) => {
      try {
        parseConfig(raw, defaultCatalog());
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ reliability: { revertBreaker: { maxReverts: 0 } } })).toEqual([
      expect.stringMatching(/^reliability\.revertBreaker\.maxReverts: .*>=1/),
    ]);
    expect(problems({ reliability: { idempotency: { ttl: 5 } } })).toEqual([
      'reliability.idempotency.ttl: unknown key; allowed: enabled, expiresAfterSeconds',
    ]);
    expect(problems({ reliability: { table: 'x' } })).toEqual([
      'reliability.table: unknown key; allowed: stateTable, idempotency, revertBreaker',
    ]);
  });
});
