import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { REQUIRED_SCOPES, SLASH_COMMAND } from '../../src/slack/app';

const manifest = YAML.parse(readFileSync('slack-app-manifest.yaml', 'utf8')) as {
  oauth_config: { scopes: { bot: string[] } };
  features: { slash_commands: { command: string; url: string }[] };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    event_subscriptions: { request_url: string };
  };
};

describe('slack-app-manifest.yaml', () => {
  it('grants exactly the scopes the app uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [...new Set(Object.values(REQUIRED_SCOPES).flat())].sort(),
    );
  });

  it('routes the slash command, interactivity and events to bolt’s one path', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
  });
});
