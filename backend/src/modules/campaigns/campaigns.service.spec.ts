import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { ChannelConnection } from '../channels/channel-connection.entity';
import { EmailAccount } from '../email-accounts/email-account.entity';
import { Template } from '../templates/template.entity';
import { CampaignStep } from './campaign-step.entity';
import { Campaign } from './campaign.entity';
import { createValidationPipe } from '../../common/http/validation.pipe';
import { CreateCampaignDto, UpdateCampaignDto } from './campaigns.dto';
import { CampaignInput, CampaignsService } from './campaigns.service';

const ORG = randomUUID();
const OTHER_ORG = randomUUID();

type Row = Record<string, unknown> & { id?: string };
type EntityClass = new () => object;

/** An in-memory EntityManager: just the calls CampaignsService makes, matching `where` by equality. */
class FakeManager {
  readonly tables = new Map<EntityClass, Row[]>();
  readonly writes: string[] = [];

  table(entity: EntityClass): Row[] {
    if (!this.tables.has(entity)) this.tables.set(entity, []);
    return this.tables.get(entity)!;
  }
  private matches(row: Row, where: Record<string, unknown>) {
    return Object.entries(where).every(([k, v]) => row[k] === v);
  }
  insert(entity: EntityClass, row: Row): Row {
    const full = { id: randomUUID(), ...row };
    this.table(entity).push(full);
    return full;
  }
  async findOneBy(entity: EntityClass, where: Record<string, unknown>) {
    return this.table(entity).find((r) => this.matches(r, where)) ?? null;
  }
  async findOne(entity: EntityClass, options: { where: Record<string, unknown> }) {
    return this.findOneBy(entity, options.where);
  }
  async find(entity: EntityClass, options: { where: Record<string, unknown> }) {
    return this.table(entity)
      .filter((r) => this.matches(r, options.where))
      .sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0));
  }
  create(entity: EntityClass, values: Row) {
    return Object.assign(new entity(), values);
  }
  async save<T extends Row | Row[]>(value: T): Promise<T> {
    for (const row of Array.isArray(value) ? value : [value]) {
      row.id ??= randomUUID();
      this.table(row.constructor as EntityClass).push(row);
      this.writes.push(`save ${row.constructor.name}`);
    }
    return value;
  }
  async update(entity: EntityClass, where: Record<string, unknown>, patch: Row) {
    for (const row of this.table(entity).filter((r) => this.matches(r, where))) Object.assign(row, patch);
    this.writes.push(`update ${entity.name}`);
  }
  async delete(entity: EntityClass, where: Record<string, unknown>) {
    this.tables.set(
      entity,
      this.table(entity).filter((r) => !this.matches(r, where)),
    );
    this.writes.push(`delete ${entity.name}`);
  }
}

/** The request path of a body: the global validation pipe with the controller's DTO, then the service. */
const pipe = createValidationPipe();
const asDto = <T>(body: unknown, metatype: new () => T): Promise<T> => pipe.transform(body, { type: 'body', metatype }) as Promise<T>;

describe('campaign validation (DTO through the real validation pipe, then the real CampaignsService with its DataSource overridden)', () => {
  let service: CampaignsService;
  let m: FakeManager;
  let twilio: Row;
  let mailgun: Row;
  let gmail: Row;
  let sms: Row;
  let email: Row;
  let voice: Row;

  beforeEach(async () => {
    m = new FakeManager();
    twilio = m.insert(ChannelConnection, { organizationId: ORG, type: 'twilio' });
    mailgun = m.insert(ChannelConnection, { organizationId: ORG, type: 'mailgun' });
    gmail = m.insert(EmailAccount, { organizationId: ORG });
    sms = m.insert(Template, { organizationId: ORG, channel: 'sms' });
    email = m.insert(Template, { organizationId: ORG, channel: 'email' });
    voice = m.insert(Template, { organizationId: ORG, channel: 'voice' });
    const dataSource = { manager: m, transaction: (work: (manager: FakeManager) => Promise<unknown>) => work(m) };
    const module = await Test.createTestingModule({ providers: [CampaignsService, { provide: DataSource, useValue: {} }] })
      .overrideProvider(DataSource)
      .useValue(dataSource)
      .compile();
    service = module.get(CampaignsService);
  });

  const blast = (overrides: Record<string, unknown> = {}): CampaignInput => ({
    name: '  Spring sale ',
    type: 'blast',
    sender: { channelId: twilio.id as string },
    audience: { all: true },
    steps: [{ templateId: sms.id as string }],
    ...overrides,
  });

  /** The validation error `input` gets: its field, and the message for anything unexpected. */
  async function refused(input: unknown): Promise<string> {
    const error = await asDto(input, CreateCampaignDto)
      .then((dto) => service.create(ORG, dto))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof AppError, `expected a validation error, got ${String(error)}`);
    assert.equal(error.code, 'validation_failed', error.message);
    assert.deepEqual(m.writes, [], 'nothing is written for a refused campaign');
    return (error.details as Array<{ field: string }> | undefined)?.[0]?.field ?? `(no field) ${error.message}`;
  }

  it('creates a draft with its steps in order, trimmed, with defaults', async () => {
    const campaign = await service.create(ORG, blast({ settings: { ratePerSecond: 2.5, startAt: '2030-01-01T09:00:00+02:00' } }));
    assert.equal(campaign.status, 'draft');
    assert.equal(campaign.name, 'Spring sale');
    assert.equal(campaign.senderChannelId, twilio.id);
    assert.equal(campaign.senderEmailAccountId, null);
    assert.deepEqual(campaign.audience, { all: true });
    assert.deepEqual(campaign.settings, { ratePerSecond: 2.5, startAt: '2030-01-01T07:00:00.000Z' });
    const steps = m.table(CampaignStep);
    assert.deepEqual(
      steps.map((s) => [s.campaignId, s.position, s.channel, s.templateId, s.delaySeconds, s.condition, s.senderChannelId]),
      [[campaign.id, 0, 'sms', sms.id, 0, null, null]],
    );
  });

  it('checks the name and the type', async () => {
    assert.equal(await refused(blast({ name: '   ' })), 'name');
    assert.equal(await refused(blast({ name: 'x'.repeat(201) })), 'name');
    assert.equal(await refused(blast({ name: 42 })), 'name');
    assert.equal(await refused(blast({ type: 'drip' })), 'type');
  });

  it('needs exactly one existing sender of this organization', async () => {
    assert.equal(await refused(blast({ sender: undefined })), 'sender');
    assert.equal(await refused(blast({ sender: { channelId: twilio.id as string, emailAccountId: gmail.id as string } })), 'sender');
    assert.equal(
      await refused(blast({ sender: { channelId: 'twilio' } })),
      'sender.channelId',
      'the DTO names the field that is not a UUID',
    );
    assert.equal(await refused(blast({ sender: { channelId: randomUUID() } })), 'sender.channelId');
    assert.equal(await refused(blast({ sender: { emailAccountId: randomUUID() } })), 'sender.emailAccountId');
    const foreign = m.insert(ChannelConnection, { organizationId: OTHER_ORG, type: 'twilio' });
    assert.equal(
      await refused(blast({ sender: { channelId: foreign.id as string } })),
      'sender.channelId',
      "another organization's channel does not exist here",
    );
  });

  it('checks the steps: count, shape, template, channel, delay, condition', async () => {
    assert.equal(await refused(blast({ steps: [] })), 'steps');
    assert.equal(await refused(blast({ steps: undefined })), 'steps');
    assert.equal(await refused(blast({ steps: [{ templateId: sms.id }, { templateId: sms.id }] })), 'steps', 'a blast has one step');
    assert.equal(await refused(blast({ type: 'sequence', steps: Array.from({ length: 21 }, () => ({ templateId: sms.id })) })), 'steps');
    assert.equal(await refused(blast({ steps: [null as never] })), 'steps[0]');
    assert.equal(await refused(blast({ steps: [{ templateId: 'sms' }] })), 'steps[0].templateId');
    assert.equal(await refused(blast({ steps: [{ templateId: randomUUID() }] })), 'steps[0].templateId');
    const foreign = m.insert(Template, { organizationId: OTHER_ORG, channel: 'sms' });
    assert.equal(await refused(blast({ steps: [{ templateId: foreign.id }] })), 'steps[0].templateId');
    assert.equal(await refused(blast({ steps: [{ templateId: sms.id, channel: 'whatsapp' }] })), 'steps[0].channel');
    for (const delaySeconds of [-1, 1.5, '60', 365 * 86400 + 1]) {
      assert.equal(
        await refused(blast({ type: 'sequence', steps: [{ templateId: sms.id }, { templateId: sms.id, delaySeconds }] })),
        'steps[1].delaySeconds',
        String(delaySeconds),
      );
    }
    assert.equal(await refused(blast({ steps: [{ templateId: sms.id, condition: { type: 'opened' } }] })), 'steps[0].condition.type');
  });

  it('each step needs a sender that can carry its channel; a step may bring its own', async () => {
    assert.equal(await refused(blast({ steps: [{ templateId: email.id }] })), 'steps[0].sender', 'Twilio cannot send email');
    assert.equal(
      await refused(blast({ sender: { emailAccountId: gmail.id as string }, steps: [{ templateId: sms.id }] })),
      'steps[0].sender',
      'Gmail cannot send SMS',
    );
    assert.equal(
      await refused(blast({ steps: [{ templateId: email.id, sender: { channelId: randomUUID() } }] })),
      'steps[0].sender.channelId',
    );
    const campaign = await service.create(
      ORG,
      blast({
        type: 'sequence',
        steps: [
          { templateId: sms.id },
          { templateId: voice.id, delaySeconds: 3600, condition: { type: 'no_reply' } },
          { templateId: email.id, delaySeconds: 86400, sender: { channelId: mailgun.id as string } },
          { templateId: email.id, delaySeconds: 86400, sender: { emailAccountId: gmail.id as string } },
        ],
      }),
    );
    assert.deepEqual(
      m
        .table(CampaignStep)
        .filter((s) => s.campaignId === campaign.id)
        .map((s) => [s.position, s.channel, s.delaySeconds, s.condition, s.senderChannelId, s.senderEmailAccountId]),
      [
        [0, 'sms', 0, null, null, null],
        [1, 'voice', 3600, { type: 'no_reply' }, null, null],
        [2, 'email', 86400, null, mailgun.id, null],
        [3, 'email', 86400, null, null, gmail.id],
      ],
    );
  });

  it('keeps every setting within its limits and knows no others', async () => {
    const bad: Array<[unknown, string]> = [
      ['fast', 'settings'],
      [[1], 'settings'],
      [{ ratePerSecond: 0 }, 'settings.ratePerSecond'],
      [{ ratePerSecond: 100_001 }, 'settings.ratePerSecond'],
      [{ concurrency: 1.5 }, 'settings.concurrency'],
      [{ concurrency: 201 }, 'settings.concurrency'],
      [{ batchSize: 0 }, 'settings.batchSize'],
      [{ batchSize: 1001 }, 'settings.batchSize'],
      [{ dailyCap: '100' }, 'settings.dailyCap'],
      [{ shards: 17 }, 'settings.shards'],
      [{ startAt: 'tomorrow' }, 'settings.startAt'],
      [{ speed: 3 }, 'settings.speed'],
    ];
    for (const [settings, field] of bad) assert.equal(await refused(blast({ settings })), field, JSON.stringify(settings));
    const campaign = await service.create(
      ORG,
      blast({ settings: { ratePerSecond: 0.001, concurrency: 200, batchSize: 1, dailyCap: 10_000_000, shards: 16 } }),
    );
    assert.deepEqual(campaign.settings, { ratePerSecond: 0.001, concurrency: 200, batchSize: 1, dailyCap: 10_000_000, shards: 16 });
    assert.deepEqual((await service.create(ORG, blast({ settings: null }))).settings, {});
  });

  it('takes an audience of everyone, listed leads (deduplicated) or a lead filter', async () => {
    const lead = randomUUID();
    assert.deepEqual((await service.create(ORG, blast({ audience: { leadIds: [lead, lead] } }))).audience, { leadIds: [lead] });
    const filtered = (
      await service.create(ORG, blast({ audience: { filter: { hasPhone: true, attributes: { plan: 'pro' }, consent: { sms: true } } } }))
    ).audience as { filter: Record<string, unknown> };
    assert.equal(filtered.filter.hasPhone, true);
    assert.deepEqual(filtered.filter.attributes, { plan: 'pro' });
    m.writes.length = 0;
    assert.equal(await refused(blast({ audience: undefined })), 'audience');
    assert.equal(await refused(blast({ audience: { all: false } })), 'audience.all');
    assert.equal(await refused(blast({ audience: { all: true, leadIds: [lead] } })), 'audience');
    assert.equal(await refused(blast({ audience: { leadIds: [] } })), 'audience.leadIds');
    assert.equal(await refused(blast({ audience: { leadIds: ['lead-1'] } })), 'audience.leadIds');
  });

  describe('update', () => {
    it('validates the merged definition of a draft and replaces its steps', async () => {
      const created = await service.create(ORG, blast());
      m.writes.length = 0;
      const updated = await service.update(ORG, created.id, { settings: { batchSize: 50 } });
      assert.deepEqual(updated.settings, { batchSize: 50 });
      assert.equal(updated.name, 'Spring sale', 'what the update does not name is kept');
      assert.deepEqual(
        m
          .table(CampaignStep)
          .filter((s) => s.campaignId === created.id)
          .map((s) => s.templateId),
        [sms.id],
      );
      assert.deepEqual(m.writes, ['update Campaign', 'delete CampaignStep', 'save CampaignStep']);

      m.writes.length = 0;
      const error = await asDto({ steps: [{ templateId: email.id }] }, UpdateCampaignDto)
        .then((dto) => service.update(ORG, created.id, dto))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(error instanceof AppError && error.code === 'validation_failed', String(error));
      assert.deepEqual(m.writes, [], 'an invalid update writes nothing');
    });

    it('refuses anything but a draft, and an unknown campaign', async () => {
      const created = await service.create(ORG, blast());
      m.table(Campaign).find((c) => c.id === created.id)!.status = 'active';
      const error = await service.update(ORG, created.id, { name: 'Renamed' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'campaign_not_editable');
      const missing = await service.update(ORG, randomUUID(), { name: 'x' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(missing instanceof AppError);
      assert.equal(missing.code, 'campaign_not_found');
      const foreign = await service.update(OTHER_ORG, created.id, { name: 'x' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(foreign instanceof AppError);
      assert.equal(foreign.code, 'campaign_not_found', "another organization's campaign does not exist for it");
    });
  });
});
