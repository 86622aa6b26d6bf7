import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/samples';

/** README's layout table names every folder of the source tree, so a new one is documented. */
function folders(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${dir}/${e.name}/`);
}

describe("README's layout table", () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const layout = readme.slice(
    readme.indexOf('## Layout'),
    readme.indexOf('See [docs/architecture.md]'),
  );

  it.each([
    ...folders('src'),
    ...folders('policies'),
    ...folders('remediators'),
    ...folders('infra'),
    'scripts/',
    'bench/',
    'docs/',
    'test/',
  ])('names %s', (folder) => {
    expect(layout).toContain(`\`${folder}`);
  });
});
