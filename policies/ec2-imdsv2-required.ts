import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import { EC2_INSTANCE, type Ec2InstanceSnapshot } from '../src/resources/ec2-instance/snapshot';

export const ec2Imdsv2Required = definePolicy<Ec2InstanceSnapshot, Record<string, never>>({
  id: 'ec2-imdsv2-required',
  title: 'EC2 instances require IMDSv2',
  description:
    'An instance whose metadata service accepts IMDSv1 (HttpTokens optional) violates; one with the metadata endpoint disabled complies.',
  rationale:
    'IMDSv1 answers any request that reaches it, so a server-side request forgery in an application hands out the instance role credentials; IMDSv2 needs a session token first.',
  severity: 'high',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'EC2.8' },
    { framework: 'cis-aws-foundations-3.0', id: '5.6' },
    { framework: 'aws-well-architected', id: 'SEC06-BP03' },
  ],
  resourceType: EC2_INSTANCE,
  triggers: ['RunInstances', 'ModifyInstanceMetadataOptions'],
  // Old SDKs and agents that only speak IMDSv1 stop getting credentials once it is required:
  // the team must check them first, so Rampart only reports.
  defaultMode: 'notify',
  parameters: z.strictObject({}),
  evaluate(snapshot) {
    if (snapshot.httpEndpoint === 'disabled' || snapshot.httpTokens === 'required') {
      return { compliant: true };
    }
    return {
      compliant: false,
      finding: {
        message: `EC2 instance ${snapshot.instanceId} accepts IMDSv1 (HttpTokens ${snapshot.httpTokens}).`,
        elements: [{ kind: 'metadata-options', description: `HttpTokens ${snapshot.httpTokens}` }],
      },
    };
  },
});
