import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { CONFIG_FILE, ConfigError, parseConfigText, type RampartConfig } from '../src/config';
import type { Catalog } from '../src/engine/catalog';
import { REPO_ROOT } from './bundling';

export interface DeploymentInput {
  /** Where the configuration came from (a path, or `(defaults)`). */
  source: string;
  config: RampartConfig;
  /** The document minus `deployment`, as the evaluator reads it from RAMPART_CONFIG_JSON. */
  runtimeConfigJson: string;
}

/** Validates a configuration document for deployment (same schema and errors as the engine). */
export function deploymentInputFromText(
  text: string,
  catalog: Catalog,
  source: string,
): DeploymentInput {
  const config = parseConfigText(text, catalog, source);
  const raw = (YAML.parse(text) ?? {}) as Record<string, unknown>;
  const runtime = { ...raw };
  delete runtime.deployment; // read by the infrastructure only
  return { source, config, runtimeConfigJson: JSON.stringify(runtime) };
}

/**
 * The file the CDK app deploys: `-c config=path`, else RAMPART_CONFIG, else
 * rampart.config.yaml at the repository root; the defaults when there is none.
 */
export function loadDeploymentInput(
  catalog: Catalog,
  path?: string,
  env: NodeJS.ProcessEnv = process.env,
): DeploymentInput {
  const fallback = resolve(REPO_ROOT, CONFIG_FILE);
  const file = path ?? env.RAMPART_CONFIG ?? (existsSync(fallback) ? fallback : undefined);
  if (!file) return deploymentInputFromText('{}', catalog, '(defaults)');
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read configuration file ${resolve(file)}: ${(error as Error).message}`,
      file,
    );
  }
  return deploymentInputFromText(text, catalog, file);
}
