import * as z from 'zod';
import { AWS_REGION, AWS_REGION_EXPECTED } from '../domain/identifiers';

/**
 * `securityHub:` in rampart.config.yaml — every outcome upserts one ASFF finding per
 * (policy, resource) in AWS Security Hub (src/reporters/security-hub.ts). Off by default:
 * Security Hub bills per finding ingested, and it must be enabled in the account.
 */
export const securityHubSchema = z.strictObject({
  enabled: z.boolean().default(false).describe('Send findings to AWS Security Hub.'),
  region: z
    .string()
    .regex(AWS_REGION, AWS_REGION_EXPECTED)
    .optional()
    .describe(
      "Region findings are imported into (an aggregation region); default: the resource's own region (IAM: the partition's home region).",
    ),
});

export type SecurityHubSettings = z.output<typeof securityHubSchema>;

export function securityHubSettings(raw: unknown): SecurityHubSettings {
  return securityHubSchema.parse(raw ?? {});
}
