import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { ensureExceptionsTable } from '../../src/exceptions/table';
import { NoticeStore, POSTING_CLAIM_STALE_MS } from '../../src/slack/notices';

const REGION = 'eu-west-3';

describe('a notice is claimed for posting once, whatever the timing (moto DynamoDB)', () => {
  let clients: AwsClients;
  let notices: NoticeStore;
  beforeAll(async () => {
    clients = new AwsClients({ maxAttempts: 2 });
    const table = { name: `rampart-once-${randomUUID().slice(0, 8)}`, region: REGION };
    await ensureExceptionsTable(clients, table);
    notices = new NoticeStore(clients, table);
  });
  afterAll(() => clients.destroy());

  it('of 20 concurrent deliveries of one outcome exactly one may post', async () => {
    for (let round = 0; round < 5; round++) {
      const id = `n-${randomUUID()}`;
      const now = Date.now();
      const claims = await Promise.all(
        Array.from({ length: 20 }, () => notices.claimPosting(id, now)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      // Claimed but not posted yet: nothing to edit, and no second claim.
      expect(await notices.get(id)).toBeUndefined();
      expect(await notices.claimPosting(id, now + 1000)).toBe(false);
    }
  });

  it('a posted notice is never claimed again; a failed post gives the claim back', async () => {
    const id = `n-${randomUUID()}`;
    const now = Date.now();
    expect(await notices.claimPosting(id, now)).toBe(true);
    await notices.releasePosting(id); // the post failed: the retry must be able to post
    expect(await notices.claimPosting(id, now)).toBe(true);
    const notice = { id, history: [] } as unknown as Parameters<NoticeStore['put']>[0]['notice'];
    await notices.put({ notice, channel: 'C0ONCE', ts: '1.0' }, now);
    expect(await notices.claimPosting(id, now + POSTING_CLAIM_STALE_MS * 2)).toBe(false);
    await notices.releasePosting(id); // a late release after the post removes nothing
    expect((await notices.get(id))?.ts).toBe('1.0');
  });

  it('a claim whose poster died is taken over once it is stale', async () => {
    const id = `n-${randomUUID()}`;
    const now = Date.now();
    expect(await notices.claimPosting(id, now)).toBe(true);
    expect(await notices.claimPosting(id, now + POSTING_CLAIM_STALE_MS - 1)).toBe(false);
    expect(await notices.claimPosting(id, now + POSTING_CLAIM_STALE_MS + 1)).toBe(true);
  });
});
