import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Failed logins of one username from one client address within their window: the api's login
 * limits count them here, so every api instance shares them with PostgreSQL alone. A row lives
 * until `expires_at` (LOGIN_RATE_WINDOW_MS after the first failure it counts).
 */
@Entity({ name: 'login_failures' })
@Index('login_failures_expires_at_idx', ['expiresAt'])
export class LoginFailureEntity {
  /** The client address as limits count it (an IPv4 address, an IPv6 /64, or "unknown"). */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'login_failures_pkey' })
  bucket!: string;

  /** The username tried, trimmed and lower-cased. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'login_failures_pkey' })
  username!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
