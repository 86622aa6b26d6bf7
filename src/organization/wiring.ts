import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { HistoryStore } from '../history/store';
import { OrganizationDirectory } from './directory';
import { Enrollments } from './enrollments';
import { OrganizationStandings } from './standing';

/**
 * The organization's standings when `organization:` is configured (first sight kept in the
 * history table when there is one); undefined otherwise: every account is enforced.
 */
export function standingsFor(
  config: RampartConfig,
  clients: AwsClients,
  history: HistoryStore | undefined,
  now?: () => number,
): OrganizationStandings | undefined {
  if (!config.organization) return undefined;
  return new OrganizationStandings({
    settings: config.organization,
    directory: new OrganizationDirectory(clients),
    ...(history ? { enrollments: new Enrollments(clients, history.table) } : {}),
    ...(now ? { now } : {}),
  });
}
