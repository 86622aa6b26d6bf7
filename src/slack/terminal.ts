import type { Block } from './blocks';

/** mrkdwn to plain text: links as `text (url)`, mentions as `@U123`, entities decoded. */
function mrkdwnToText(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)>/g, '@$1')
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/```/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textOf(t: { text: string } | undefined): string {
  return t ? mrkdwnToText(t.text) : '';
}

/**
 * Renders Block Kit as terminal text, e.g. for the demo: header underlined, fields as
 * `label: value`, context lines prefixed, buttons as `[ Label ]`. Pure; no colours.
 */
export function renderBlocksForTerminal(blocks: readonly Block[], width = 72): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header': {
        const text = mrkdwnToText(block.text.text).replace(/^:[a-z_]+: /, '');
        lines.push(text, '='.repeat(Math.min(width, text.length)));
        break;
      }
      case 'section': {
        if (block.text) lines.push(...textOf(block.text).split('\n'));
        for (const field of block.fields ?? []) {
          const [label, ...rest] = textOf(field).split('\n');
          lines.push(`${label}: ${rest.join(' ')}`);
        }
        break;
      }
      case 'context':
        for (const element of block.elements) {
          if ('text' in element) lines.push(`  · ${mrkdwnToText(element.text)}`);
        }
        break;
      case 'actions':
        lines.push(
          block.elements
            .map((e) => ('text' in e && e.text ? `[ ${e.text.text} ]` : ''))
            .filter(Boolean)
            .join(' '),
        );
        break;
      case 'divider':
        lines.push('-'.repeat(width));
        break;
      default:
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}
