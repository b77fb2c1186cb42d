/**
 * The records of a Postgres store that no batch keeps in memory: contacts, recipients' policies
 * and idempotency keys, each read and written by its own indexed statement.
 */
import type { DeskStore, IdempotencyRecord } from '../engine/repository.js';
import { foldText } from '../rules/text.js';
import type { Contact, RecipientPolicy } from '../types.js';
import type { Db } from './db.js';
import { parse, parseAll } from './pg-store-cache.js';

type RecordMethods =
  | 'getContact'
  | 'getContactByPhone'
  | 'listContacts'
  | 'searchContacts'
  | 'putContact'
  | 'getRecipient'
  | 'putRecipient'
  | 'getIdempotency'
  | 'putIdempotency'
  | 'deleteIdempotencyBefore';

export function recordStore(tx: Db): Pick<DeskStore, RecordMethods> {
  return {
    getContact: async (id) =>
      parse<Contact>(
        await tx.selectFrom('desk_contacts').select('data').where('id', '=', id).executeTakeFirst(),
      ),
    getContactByPhone: async (phone) =>
      parse<Contact>(
        await tx
          .selectFrom('desk_contacts')
          .select('data')
          .where('phone', '=', phone)
          .executeTakeFirst(),
      ),
    async listContacts({ after, limit }) {
      let query = tx.selectFrom('desk_contacts').select('data');
      if (after !== undefined) query = query.where('id', '>', after);
      return parseAll<Contact>(await query.orderBy('id').limit(limit).execute());
    },
    async searchContacts(search) {
      if (!search.text && !search.digits) return [];
      return parseAll<Contact>(await contactSearch(tx, search).execute());
    },
    async putContact(contact) {
      const row = {
        id: contact.id,
        phone: contact.phone,
        folded: foldText(`${contact.firstName} ${contact.lastName}`),
        digits: contact.phone.replace(/\D/g, ''),
        data: JSON.stringify(contact),
      };
      const { id: _id, ...update } = row;
      await tx
        .insertInto('desk_contacts')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(update))
        .execute();
    },

    getRecipient: async (phone) =>
      parse<RecipientPolicy>(
        await tx
          .selectFrom('desk_recipients')
          .select('data')
          .where('phone', '=', phone)
          .executeTakeFirst(),
      ),
    async putRecipient(policy) {
      const data = JSON.stringify(policy);
      await tx
        .insertInto('desk_recipients')
        .values({ phone: policy.phone, data })
        .onConflict((oc) => oc.column('phone').doUpdateSet({ data }))
        .execute();
    },

    async getIdempotency(userId, key) {
      const row = await tx
        .selectFrom('desk_keys')
        .select(['message_id', 'created_at'])
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row && { userId, key, messageId: row.message_id, createdAt: Number(row.created_at) };
    },
    async putIdempotency(record: IdempotencyRecord) {
      const values = {
        user_id: record.userId,
        key: record.key,
        message_id: record.messageId,
        created_at: record.createdAt,
      };
      await tx
        .insertInto('desk_keys')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'key'])
            .doUpdateSet({ message_id: values.message_id, created_at: values.created_at }),
        )
        .execute();
    },
    async deleteIdempotencyBefore(before) {
      await tx.deleteFrom('desk_keys').where('created_at', '<', before).execute();
    },
  };
}

/** `%…%` for LIKE, with the pattern's own wildcards taken literally. */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * SN1: contacts whose folded name or digits contain the text, first by id. A substring LIKE, so
 * the trigram indexes of migration 0005 serve it rather than a scan of the account's contacts.
 */
export function contactSearch(
  tx: Db,
  { text, digits, limit }: { text?: string; digits?: string; limit: number },
) {
  return tx
    .selectFrom('desk_contacts')
    .select('data')
    .where((eb) =>
      eb.or([
        ...(text ? [eb('folded', 'like', containing(text))] : []),
        ...(digits ? [eb('digits', 'like', containing(digits))] : []),
      ]),
    )
    .orderBy('id')
    .limit(limit);
}
