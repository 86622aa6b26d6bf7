import {
  DescribeAccountCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListParentsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { AwsClients } from '../aws/clients';

/** Organizations is global: its endpoint lives in the partition's home region. */
export const ORGANIZATIONS_REGION = 'us-east-1';

/** The Organizations resources those reads name (ARNs `…:<kind>/<organization id>/…`). */
export const ORGANIZATION_RESOURCE_KINDS = ['account', 'ou', 'root'] as const;

/** IAM actions the organization reads need (list and describe only). */
export const ORGANIZATION_READ_ACTIONS = [
  'organizations:ListAccountsForParent',
  'organizations:ListChildren',
  'organizations:ListParents',
  'organizations:DescribeAccount',
] as const;

/** Organizations nests OUs at most five deep under the root. */
const MAX_DEPTH = 6;
/** Pages per listing: 10,000 accounts (Organizations' default quota is 10) at 20 per page. */
const MAX_PAGES = 500;

export class OrganizationError extends Error {
  override readonly name = 'OrganizationError';
  constructor(
    message: string,
    readonly parent: string,
  ) {
    super(message);
  }
}

export interface OrganizationAccount {
  id: string;
  /** The OU (or root) the account sits in. */
  parent: string;
  /** When the account joined the organization (ISO-8601), when Organizations says. */
  joinedAt?: string;
}

/** The organization's tree as Organizations lists it, read from the management account or a delegated administrator. */
export class OrganizationDirectory {
  private readonly client: OrganizationsClient;

  constructor(clients: AwsClients) {
    this.client = clients.get(OrganizationsClient, { region: ORGANIZATIONS_REGION });
  }

  /**
   * Every active account at any depth under `parents`, not descending into `excluded` OUs.
   * A parent that is itself excluded yields nothing.
   */
  async accountsUnder(
    parents: readonly string[],
    excluded: ReadonlySet<string>,
  ): Promise<OrganizationAccount[]> {
    const found = new Map<string, OrganizationAccount>();
    let level = parents.filter((p) => !excluded.has(p));
    for (let depth = 0; level.length > 0; depth++) {
      if (depth >= MAX_DEPTH) {
        throw new OrganizationError(`OUs nested deeper than ${MAX_DEPTH} levels`, level[0]!);
      }
      const next: string[] = [];
      for (const parent of level) {
        for (const account of await this.accountsIn(parent)) found.set(account.id, account);
        next.push(...(await this.childOus(parent)).filter((ou) => !excluded.has(ou)));
      }
      level = next;
    }
    return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The account's parents from its own OU up to the root. */
  async ancestors(account: string): Promise<string[]> {
    const chain: string[] = [];
    let child = account;
    for (let depth = 0; depth < MAX_DEPTH + 1; depth++) {
      const out = await this.client.send(new ListParentsCommand({ ChildId: child }));
      const parent = out.Parents?.[0];
      if (!parent?.Id) return chain;
      chain.push(parent.Id);
      if (parent.Type === 'ROOT') return chain;
      child = parent.Id;
    }
    throw new OrganizationError(`no root within ${MAX_DEPTH + 1} parents`, account);
  }

  /** When the account joined the organization, if Organizations says. */
  async joinedAt(account: string): Promise<string | undefined> {
    const out = await this.client.send(new DescribeAccountCommand({ AccountId: account }));
    return out.Account?.JoinedTimestamp?.toISOString();
  }

  private async accountsIn(parent: string): Promise<OrganizationAccount[]> {
    const accounts: OrganizationAccount[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.client.send(
        new ListAccountsForParentCommand({ ParentId: parent, MaxResults: 20, NextToken: token }),
      );
      for (const a of out.Accounts ?? []) {
        // A suspended or closing account has nothing to enforce and cannot be reached.
        const state = a.State ?? a.Status;
        if (!a.Id || (state && state !== 'ACTIVE')) continue;
        accounts.push({
          id: a.Id,
          parent,
          ...(a.JoinedTimestamp ? { joinedAt: a.JoinedTimestamp.toISOString() } : {}),
        });
      }
      token = out.NextToken;
      if (!token) return accounts;
    }
    throw new OrganizationError(`more than ${MAX_PAGES} pages of accounts`, parent);
  }

  private async childOus(parent: string): Promise<string[]> {
    const ous: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.client.send(
        new ListChildrenCommand({
          ParentId: parent,
          ChildType: 'ORGANIZATIONAL_UNIT',
          MaxResults: 20,
          NextToken: token,
        }),
      );
      ous.push(...(out.Children ?? []).flatMap((c) => (c.Id ? [c.Id] : [])));
      token = out.NextToken;
      if (!token) return ous;
    }
    throw new OrganizationError(`more than ${MAX_PAGES} pages of OUs`, parent);
  }
}
