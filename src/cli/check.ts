import { defaultCatalog } from '../catalog';
import { checkTemplates } from '../check';
import { CHECK_FORMATS, toSarif, toText, type CheckFormat } from '../check/format';
import { toCheckOcsf } from '../check/ocsf';
import { loadTemplates } from '../cloudformation/template';
import { loadConfig } from '../config';
import { EXIT, oneOf } from './usage';
import { rampartVersion } from './version';

/** `rampart check`: templates judged with the enabled policies, before deploying. */
export async function checkCommand(
  paths: string[],
  opts: { format: string; config?: string; failOnUnknown?: boolean },
): Promise<number> {
  const format = oneOf<CheckFormat>('--format', opts.format, CHECK_FORMATS);
  const catalog = defaultCatalog();
  const config = loadConfig(catalog, opts.config);
  const templates = paths.flatMap((p) => loadTemplates(p));
  const report = checkTemplates(templates, catalog, config);
  const out =
    format === 'sarif'
      ? JSON.stringify(toSarif(report, catalog, rampartVersion()), null, 2)
      : format === 'ocsf'
        ? JSON.stringify(toCheckOcsf(report, catalog, rampartVersion(), Date.now()), null, 2)
        : format === 'json'
          ? JSON.stringify(report, null, 2)
          : toText(report);
  process.stdout.write(`${out}\n`);
  const { violations, errors, unknown } = report.summary;
  return violations + errors > 0 || (opts.failOnUnknown && unknown > 0) ? EXIT.problem : EXIT.ok;
}
