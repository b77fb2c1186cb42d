/**
 * The carriers' own migrations, merged into the server's list (migrations.ts) by name: the
 * outgoing journal (one row per message attempt, so a send is never made twice) and the media
 * fetched from carriers (served to agents by `GET /media/{id}`). Never edit one that shipped.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const carrierMigrations: Record<string, Migration> = {
  '0004_carrier_sends_media': {
    async up(db: Kysely<unknown>) {
      for (const statement of [
        `create table desk_carrier_sends (
          message_id text not null,
          attempt integer not null,
          state text not null check (state in ('sending', 'retry', 'sent', 'failed')),
          tries integer not null,
          updated_at bigint not null,
          primary key (message_id, attempt)
          )`,
        `create table desk_carrier_media (
          id text primary key,
          carrier text not null,
          carrier_media_id text not null,
          mime_type text not null,
          file_name text not null,
          size integer not null,
          data bytea not null,
          created_at bigint not null,
          unique (carrier, carrier_media_id)
          )`,
      ]) {
        await sql.raw(statement).execute(db);
      }
    },
  },
  // Who may see a stored attachment: the agents who may see the conversation it arrived in.
  '0005_carrier_media_conversation': {
    async up(db: Kysely<unknown>) {
      await sql`alter table desk_carrier_media add column conversation_id text`.execute(db);
    },
  },
};
