import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The first answer to a request carrying an Idempotency-Key, replayed for every retry of it. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn('uuid', { name: 'organization_id' })
  organizationId: string;

  /** What the key is for, e.g. `launch:<campaignId>` or `results:<runId>`. */
  @PrimaryColumn('text')
  scope: string;

  @PrimaryColumn('text')
  key: string;

  @Column('text', { name: 'request_hash' })
  requestHash: string;

  @Column('integer', { name: 'status_code' })
  statusCode: number;

  @Column('jsonb')
  response: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
