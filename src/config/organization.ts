import * as z from 'zod';
import { ACCOUNT_ID, ACCOUNT_ID_EXPECTED } from '../domain/identifiers';

const account = z.string().regex(ACCOUNT_ID, ACCOUNT_ID_EXPECTED);
export const OU_OR_ROOT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const ouOrRoot = z
  .string()
  .regex(
    OU_OR_ROOT_ID,
    'expected an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)',
  );

/**
 * `organization:` in rampart.config.yaml — Rampart over an AWS Organization: which accounts
 * it covers (the accounts under these OUs, less the exclusions, read from Organizations at
 * each sweep and for each event from an account not seen before), where the member StackSets
 * deploy, and how long a newly covered account stays in `notify` before policies enforce.
 * Absent: the accounts of `compliance.sweep.accounts` (or the credentials'), enforced at once.
 */
export const organizationSchema = z.strictObject({
  organizationalUnits: z
    .array(ouOrRoot)
    .min(1)
    .max(100)
    .describe(
      'OUs (or the root) whose accounts, at any depth, Rampart covers; the member StackSets deploy to them with automatic deployment to new accounts',
    ),
  exclude: z
    .strictObject({
      accounts: z.array(account).max(1000).default([]).describe('Accounts never covered'),
      organizationalUnits: z
        .array(ouOrRoot)
        .max(100)
        .default([])
        .describe('OUs whose accounts, at any depth, are never covered (a sandbox OU)'),
    })
    .prefault({}),
  gracePeriodDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .default(14)
    .describe(
      'Days a newly covered account stays in notify (check before enforce): enforce and approve policies report instead of reverting until then; 0 enforces at once',
    ),
});

export type OrganizationSettings = z.output<typeof organizationSchema>;
