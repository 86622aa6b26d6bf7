import { KMSClient, paginateListKeys } from '@aws-sdk/client-kms';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import { readKey, type KmsKeySnapshot } from './index';

/**
 * ListKeys (1,000 per page) lists ids only: DescribeKey per key says who manages it and what
 * it is, GetKeyRotationStatus only for the customer keys that can rotate.
 */
export const kmsKeyEnumerator: ResourceEnumerator<KmsKeySnapshot> = {
  readActions: ['kms:ListKeys', 'kms:DescribeKey', 'kms:GetKeyRotationStatus'],
  async *list(clients, scope) {
    const client = clients.get(KMSClient, scope);
    for await (const page of paginateListKeys({ client }, { Limit: 1000 })) {
      const ids = (page.Keys ?? []).flatMap((k) => (k.KeyId ? [k.KeyId] : []));
      yield* await readEach(scope, ids, (id) => readKey(clients, scope, id));
    }
  },
};
