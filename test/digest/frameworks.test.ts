import { describe, expect, it } from 'vitest';
import { frameworkSections } from '../../src/digest/frameworks';
import { digestHtml } from '../../src/digest/html';
import { largeDigest } from './large';
import { policyControls } from '../../src/digest/run';
import { frameworkText } from '../../src/digest/text';
import type { SweepSummary } from '../../src/sweep/model';

const counts = (
  policy: string,
  account: string,
  resources: number,
  violations: number,
  notApplicable = 0,
) => ({
  policy,
  account,
  resources,
  compliant: resources - violations - notApplicable,
  notApplicable,
  violations,
  reverted: 0,
  failed: 0,
  excepted: 0,
  drift: 0,
});

describe("the digest's framework section", () => {
  const sweep = {
    byPolicyAccount: [
      counts('sg-no-public-ingress', '111111111111', 10, 2),
      counts('sg-no-public-ingress', '222222222222', 5, 1),
      counts('iam-no-admin-access', '111111111111', 4, 0),
      // Every queue a dead-letter queue: nothing judged, so its control is not evaluated.
      counts('sqs-has-dlq', '111111111111', 3, 0, 3),
    ],
  } as unknown as SweepSummary;

  // The FSBP controls of the pack that the sweep above did not judge: all but EC2.18, EC2.19
  // (sg-no-public-ingress) and IAM.1 (iam-no-admin-access). Counted from the declarations.
  const unsweptFsbp =
    new Set(
      Object.values(policyControls())
        .flat()
        .filter((c) => c.framework === 'aws-fsbp')
        .map((c) => c.id),
    ).size - 3;

  it('a control fails with the open violations of its policies, passes when judged clean, else is not evaluated', () => {
    expect(unsweptFsbp).toBeGreaterThanOrEqual(3);
    const sections = frameworkSections(sweep, policyControls());
    const fsbp = sections.find((s) => s.framework === 'aws-fsbp')!;
    expect(fsbp.controls.find((c) => c.id === 'EC2.19')).toEqual({
      id: 'EC2.19',
      status: 'failing',
      open: 3,
      policies: ['sg-no-public-ingress'],
    });
    expect(fsbp.controls.find((c) => c.id === 'IAM.1')!.status).toBe('passing');
    // rds-encrypted and s3 were not swept: their controls are not evaluated, never passing.
    expect(fsbp.controls.find((c) => c.id === 'RDS.3')!.status).toBe('not-evaluated');
    expect(fsbp).toMatchObject({ failing: 2, passing: 1, notEvaluated: unsweptFsbp });
    expect(fsbp.controls[0]!.status).toBe('failing');

    const wa = sections.find((s) => s.framework === 'aws-well-architected')!;
    // REL05-BP04 is checked by four policies; only the queues were swept, all not applicable.
    expect(wa.controls.find((c) => c.id === 'REL05-BP04')).toMatchObject({
      status: 'not-evaluated',
      policies: [
        'eventbridge-target-has-dlq',
        'lambda-has-dlq',
        'sns-subscription-has-dlq',
        'sqs-has-dlq',
      ],
    });
    expect(frameworkText(fsbp)).toBe(
      `AWS Foundational Security Best Practices: 1 passing, 2 failing (EC2.18: 3 open, EC2.19: 3 open), ${unsweptFsbp} not evaluated`,
    );
  });

  it('without a sweep every control is not evaluated; without controls there is no section', () => {
    const sections = frameworkSections(undefined, policyControls());
    expect(sections.map((s) => s.framework)).toEqual([
      'aws-fsbp',
      'cis-aws-foundations-3.0',
      'aws-well-architected',
    ]);
    for (const s of sections) expect(s.passing + s.failing).toBe(0);
    expect(frameworkSections(sweep, {})).toEqual([]);
  });

  it('the HTML report shows each framework: a bar and every control with its status, open count and policies', () => {
    const html = digestHtml({
      ...largeDigest(),
      frameworks: frameworkSections(sweep, policyControls()),
    });
    const row = (id: string) =>
      new RegExp(
        `<tr><td>${id.replace('.', '\\.')}</td><td><span class="([a-z-]+)">([a-z ]+)</span></td><td class="n">(\\d+)</td><td>([^<]*)</td></tr>`,
      ).exec(html);
    expect(row('EC2.19')?.slice(1)).toEqual(['failing', 'failing', '3', 'sg-no-public-ingress']);
    expect(row('IAM.1')?.slice(1)).toEqual(['passing', 'passing', '0', 'iam-no-admin-access']);
    expect(row('RDS.3')?.slice(1)).toEqual([
      'not-evaluated',
      'not evaluated',
      '0',
      'rds-encrypted',
    ]);
    expect(html).toContain('<h3>AWS Foundational Security Best Practices</h3>');
    expect(html).toContain(`2 failing · 1 passing · ${unsweptFsbp} not evaluated`);
    expect(html).toContain(
      `aria-label="AWS Foundational Security Best Practices: 2 failing, 1 passing, ${unsweptFsbp} not evaluated"`,
    );
    const noControls = digestHtml({ ...largeDigest(), frameworks: [] });
    expect(noControls).toContain('No policy declares framework controls.');
  });
});
