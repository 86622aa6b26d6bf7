/**
 * Slack text, built in one place. Every string that reaches a message is escaped here
 * (`&`, `<`, `>`, as Slack specifies), so an account id, a tag typed in a modal or a user
 * agent can never become a `<!channel>`, a link or a mention; the only markup that
 * survives is what the code asks for with `user()`/`usergroup()`, and only for ids that
 * look like Slack's.
 */

export type Mention = { user: string } | { usergroup: string };
/** One piece of text: a string (always escaped) or a mention. */
export type TextPart = string | Mention;
export type RichText = readonly TextPart[];

/** Slack's Block Kit limits, as the Web API enforces them (answering `invalid_blocks`). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  contextText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  /** Top-level `text`: Slack truncates beyond 40,000; notifications show far less. */
  messageText: 3000,
  modalBlocks: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  optionText: 75,
} as const;

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const SLACK_GROUP_ID = /^S[A-Z0-9]{2,20}$/;

export const user = (id: string): Mention => ({ user: id });
export const usergroup = (id: string): Mention => ({ usergroup: id });

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function renderPart(part: TextPart): string {
  if (typeof part === 'string') return escapeMrkdwn(part);
  if ('user' in part) {
    return SLACK_USER_ID.test(part.user) ? `<@${part.user}>` : escapeMrkdwn(part.user);
  }
  return SLACK_GROUP_ID.test(part.usergroup)
    ? `<!subteam^${part.usergroup}>`
    : escapeMrkdwn(part.usergroup);
}

/**
 * A link `<url|label>`: the label escaped, the URL limited to http(s) and stripped of what
 * would end the token early (`|`, `>`, `<`, spaces), so no field can forge a second link.
 */
export function link(url: string, label: string): string {
  const safe = /^https?:\/\//.test(url)
    ? url.replace(/[|<>\s]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;')
    : undefined;
  return safe ? `<${safe}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

/** Rich text as Slack mrkdwn: strings escaped, mentions rendered. */
export function mrkdwn(text: RichText | string): string {
  return typeof text === 'string' ? escapeMrkdwn(text) : text.map(renderPart).join('');
}

/** Rich text for places Slack shows as plain text (modal errors, audit): mentions as ids. */
export function plainText(text: RichText | string): string {
  if (typeof text === 'string') return text;
  return text
    .map((p) => (typeof p === 'string' ? p : 'user' in p ? `@${p.user}` : `@${p.usergroup}`))
    .join('');
}

type Interpolation = string | number | Mention | RichText;

/**
 * A tagged template for rich text: the literal parts are the code's own (they are still
 * escaped, and hold no markup), interpolations are escaped unless they are mentions.
 */
export function md(strings: TemplateStringsArray, ...values: Interpolation[]): TextPart[] {
  const parts: TextPart[] = [];
  strings.forEach((literal, i) => {
    if (literal) parts.push(literal);
    if (i >= values.length) return;
    const value = values[i]!;
    if (Array.isArray(value)) parts.push(...(value as RichText));
    else if (typeof value === 'object') parts.push(value as Mention);
    else parts.push(String(value));
  });
  return parts;
}

/** Joins rich texts with a separator, e.g. a list of mentions. */
export function joinRich(items: readonly RichText[], separator: string): TextPart[] {
  return items.flatMap((item, i) => (i === 0 ? [...item] : [separator, ...item]));
}

/**
 * Cuts rendered mrkdwn to `max` characters, never inside an entity (`&amp;`) or a
 * `<...>` token, ending with `suffix` when it had to cut.
 */
export function clipMrkdwn(text: string, max: number, suffix = '…'): string {
  if (text.length <= max) return text;
  const cutAt = (limit: number) => {
    let end = limit;
    const open = text.lastIndexOf('<', end);
    if (open !== -1 && text.indexOf('>', open) >= end) end = open;
    const amp = text.lastIndexOf('&', end);
    if (amp !== -1 && amp > end - 6 && text.indexOf(';', amp) >= end) end = amp;
    return end;
  };
  let end = cutAt(max - suffix.length);
  // A code block cut open would swallow the suffix: close it, within the limit.
  const open = (text.slice(0, end).match(/```/g) ?? []).length % 2 === 1;
  if (open) end = cutAt(max - suffix.length - 3);
  const fenced = (text.slice(0, end).match(/```/g) ?? []).length % 2 === 1;
  return `${text.slice(0, end)}${suffix}${fenced ? '```' : ''}`;
}

/**
 * Lines under a heading, as many as fit in `max` characters of mrkdwn, then
 * "… and N more <where>" for the rest; each line is clipped first so one long line
 * cannot push out all others.
 */
export function fitLines(
  heading: string,
  lines: readonly string[],
  max: number,
  more: (hidden: number) => string,
  lineMax = 500,
): string {
  const rendered = lines.map((l) => `• ${clipMrkdwn(escapeMrkdwn(l), lineMax)}`);
  let text = heading;
  for (let i = 0; i < rendered.length; i++) {
    const rest = rendered.length - i - 1;
    // Room for this line and, when more follow, for the line that counts them.
    const reserve = rest > 0 ? escapeMrkdwn(more(rest)).length + 1 : 0;
    const next = `${text}\n${rendered[i]}`;
    if (next.length + reserve > max) return `${text}\n${escapeMrkdwn(more(rendered.length - i))}`;
    text = next;
  }
  return text;
}
