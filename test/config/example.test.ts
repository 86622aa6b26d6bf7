import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { loadConfig, parseConfig } from '../../src/config';
import { REPO_ROOT } from '../support/samples';

describe('rampart.config.example.yaml', () => {
  it('is valid and states exactly the defaults', () => {
    const catalog = defaultCatalog();
    const example = loadConfig(catalog, join(REPO_ROOT, 'rampart.config.example.yaml'), {});
    expect(example).toEqual(parseConfig({}, catalog));
  });
});
