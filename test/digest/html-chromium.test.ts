import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestHtml } from '../../src/digest/html';
import { requireChromium } from '../support/chromium';
import { REPO_ROOT } from '../support/samples';
import { largeDigest } from './large';

const ARTIFACTS = join(REPO_ROOT, 'test/.artifacts');

describe('the HTML digest report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-digest-html-'));
  const profile = join(dir, 'profile');
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: requireChromium(),
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1200, height: 900 },
      timeout: 30_000,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens without console errors or failed requests, shows the charts, and is screenshot', async () => {
    const file = join(dir, 'digest.html');
    writeFileSync(file, digestHtml(largeDigest()));
    const page = await context!.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) =>
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`),
    );
    page.on('request', (r) => requests.push(r.url()));

    const url = pathToFileURL(file).href;
    const response = await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
    expect(response?.ok()).toBe(true);

    for (const chart of ['trend', 'by-policy', 'by-account']) {
      const svg = page.locator(`svg[data-chart="${chart}"]`);
      await expect(svg.isVisible()).resolves.toBe(true);
      const box = await svg.boundingBox();
      expect(box!.width, chart).toBeGreaterThan(200);
      expect(box!.height, chart).toBeGreaterThan(50);
    }
    expect(await page.locator('svg[data-chart="by-policy"] rect.bar').count()).toBe(15);
    // The framework section: a bar per framework, as wide as the page's charts.
    for (const framework of ['aws-fsbp', 'cis-aws-foundations-3.0', 'aws-well-architected']) {
      const bar = page.locator(`svg[data-chart="framework-${framework}"]`);
      await expect(bar.isVisible()).resolves.toBe(true);
      expect((await bar.boundingBox())!.width, framework).toBeGreaterThan(200);
    }
    expect(
      await page.locator('svg[data-chart="framework-aws-fsbp"] rect.control-failing').count(),
    ).toBe(1);
    expect(
      await page
        .locator('svg[data-chart="framework-cis-aws-foundations-3.0"] rect.control-not-evaluated')
        .count(),
    ).toBe(1);
    expect(await page.locator('svg[data-chart="trend"] circle').count()).toBe(9); // 8 past + now
    expect(await page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(500);
    // the actor carrying markup is shown as text, not run
    await expect(
      page.locator('td', { hasText: '<script>alert("x")</script>&co' }).count(),
    ).resolves.toBe(1);

    mkdirSync(ARTIFACTS, { recursive: true });
    const png = join(ARTIFACTS, 'digest-report.png');
    await page.screenshot({ path: png, fullPage: false });
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]); // the page itself, nothing else
  }, 60_000);
});

describe('without Chromium', () => {
  it('fails with how to install it instead of skipping', () => {
    expect(() => requireChromium('/nonexistent/chromium')).toThrow(
      /\/nonexistent\/chromium is missing: run bash scripts\/ensure-chromium.sh/,
    );
  });
});
