import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Where the bytes of attachments live, by key (the attachment's id). The metadata, the access
 * rules and the audit are the service's; a store only keeps bytes. PostgreSQL is the store
 * today; an S3-compatible one implements the same four methods.
 */
export abstract class AttachmentStore {
  /**
   * Keeps `bytes` under a new `key`. `tx` is the transaction that records the attachment: a
   * store in the same database writes in it, so a rolled-back upload leaves no bytes behind;
   * a store elsewhere writes at once, and the caller deletes what a rollback left (`delete`).
   */
  abstract put(key: string, bytes: Buffer, tx: EntityManager): Promise<void>;

  /** The bytes under `key`, or null when there are none. */
  abstract get(key: string): Promise<Buffer | null>;

  /** Removes the bytes under `key`, if any. */
  abstract delete(key: string): Promise<void>;

  /** The hex SHA-256 of the bytes under each key as they are now, computed where they are; keys without bytes are left out. */
  abstract sha256(keys: readonly string[]): Promise<Map<string, string>>;
}

/** Bytes in the attachment_blobs table (bytea, kept out of line and uncompressed). */
@Injectable()
export class PgAttachmentStore extends AttachmentStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async put(key: string, bytes: Buffer, tx: EntityManager): Promise<void> {
    await tx.query(`INSERT INTO attachment_blobs (key, content) VALUES ($1, $2)`, [key, bytes]);
  }

  async get(key: string): Promise<Buffer | null> {
    const [row] = await this.db.query<{ content: Buffer }[]>(`SELECT content FROM attachment_blobs WHERE key = $1`, [key]);
    return row?.content ?? null;
  }

  async delete(key: string): Promise<void> {
    await this.db.query(`DELETE FROM attachment_blobs WHERE key = $1`, [key]);
  }

  async sha256(keys: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.query<{ key: string; sha256: string }[]>(
      `SELECT key, encode(sha256(content), 'hex') AS sha256 FROM attachment_blobs WHERE key = ANY($1::text[])`,
      [keys],
    );
    return new Map(rows.map((r) => [r.key, r.sha256]));
  }
}
