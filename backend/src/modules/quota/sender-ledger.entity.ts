import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The quota ledger of one sender (a channel, a mailbox) or one campaign: GCRA's theoretical arrival
 * time. Every lease reserves consecutive send slots after `tat`, so concurrent executions never overlap.
 */
@Entity('sender_ledgers')
export class SenderLedger {
  @PrimaryColumn('text', { name: 'sender_key' })
  senderKey: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('timestamptz')
  tat: Date;
}

/** Messages granted per sender per hour, summed over the last 24 hours for daily caps. */
@Entity('sender_usage')
export class SenderUsage {
  @PrimaryColumn('text', { name: 'sender_key' })
  senderKey: string;

  @PrimaryColumn('timestamptz')
  hour: Date;

  @Column('integer', { default: 0 })
  count: number;
}
