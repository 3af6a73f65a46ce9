import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AGENT_PROVIDERS, type AgentProvider } from '@cadence/contracts';
import { IsPlainObject } from '../../common/http/validators';
import { CHANNEL_TYPES, ChannelType } from './channel-connection.entity';

const URL = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export class RateSettings {
  /** The sender's own limit, messages per second; campaign settings can only lower it. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(1) @Max(100_000) ratePerSecond?: number;
  /** At most this many messages per rolling 24 hours. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(1) @Max(10_000_000) dailyCap?: number;
  /** The provider's API base URL (defaults to the real provider; the sandbox in tests). */
  @IsOptional() @Matches(URL, { message: 'baseUrl must be an http(s) URL' }) baseUrl?: string;
}

export class MailgunConfig extends RateSettings {
  /** @example "mg.example.com" */
  @IsString() @Matches(/^[a-z0-9.-]+\.[a-z]{2,}$/i, { message: 'domain must be a sending domain like mg.example.com' }) domain: string;
  /** @example "Acme <hello@mg.example.com>" */
  @IsString() @IsNotEmpty() from: string;
  @IsOptional() @IsIn(['us', 'eu']) region?: 'us' | 'eu';
}
export class MailgunSecrets {
  @IsString() @IsNotEmpty() apiKey: string;
  @IsString() @IsNotEmpty() webhookSigningKey: string;
}

export class TwilioConfig extends RateSettings {
  @IsString() @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'accountSid must look like AC followed by 32 hex digits' }) accountSid: string;
  /**
   * The sending number (E.164); or give messagingServiceSid.
   * @example "+14155550100"
   */
  @IsOptional() @Matches(E164, { message: 'from must be an E.164 number like +14155550123' }) from?: string;
  @IsOptional()
  @Matches(/^MG[0-9a-fA-F]{32}$/, { message: 'messagingServiceSid must look like MG followed by 32 hex digits' })
  messagingServiceSid?: string;
  /** Voice: calls in flight at once. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(1) @Max(1000) maxConcurrentCalls?: number;
  /** Voice: the pause between two call starts. */
  @IsOptional() @IsInt() @ApiPropertyOptional({ type: 'integer' }) @Min(0) @Max(3600) callDelaySeconds?: number;
  /** Voice: outbound calls per second the Twilio account allows (Twilio's default is 1), shared by its numbers. */
  @IsOptional() @IsNumber() @Min(0.01) @Max(1000) callsPerSecond?: number;
  /** Voice in agent mode: which AI agent provider runs the conversation (stream parameter `agentProvider`). */
  @IsOptional() @IsIn(AGENT_PROVIDERS) agentProvider?: AgentProvider;
  /** Inbound calls to the number (its "A call comes in" URL, webhookUrls.voice): what the caller hears; each becomes a missed-call callback request. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) missedCallGreeting?: string;
  /** Inbound calls: after the greeting, record a voicemail (`<Record>`, up to 2 minutes) before hanging up. */
  @IsOptional() @IsBoolean() missedCallVoicemail?: boolean;
}
export class TwilioSecrets {
  @IsString() @IsNotEmpty() authToken: string;
}

export class WhatsappConfig extends RateSettings {
  @IsString() @Matches(/^\d{5,32}$/, { message: 'phoneNumberId must be the numeric id Meta shows for the number' }) phoneNumberId: string;
  @IsOptional() @Matches(/^\d{5,32}$/) businessAccountId?: string;
  /** @example "v21.0" */
  @IsOptional() @Matches(/^v\d+\.\d+$/, { message: 'apiVersion must look like v21.0' }) apiVersion?: string;
}
export class WhatsappSecrets {
  @IsString() @IsNotEmpty() accessToken: string;
  @IsString() @IsNotEmpty() appSecret: string;
  /** The token Meta echoes when the webhook is verified. */
  @IsOptional() @IsString() @IsNotEmpty() verifyToken?: string;
}

/** The config and secrets classes of each channel type. */
export const CHANNEL_SHAPES: Record<ChannelType, { config: new () => object; secrets: new () => object }> = {
  mailgun: { config: MailgunConfig, secrets: MailgunSecrets },
  twilio: { config: TwilioConfig, secrets: TwilioSecrets },
  whatsapp: { config: WhatsappConfig, secrets: WhatsappSecrets },
};

const knownType = (o: { type?: unknown }) => (CHANNEL_TYPES as readonly unknown[]).includes(o.type);
const oneOf = (...models: Array<abstract new (...args: never[]) => unknown>) => models.map((m) => ({ $ref: getSchemaPath(m) }));

@ApiExtraModels(MailgunConfig, MailgunSecrets, TwilioConfig, TwilioSecrets, WhatsappConfig, WhatsappSecrets)
export class CreateChannelDto {
  @IsIn(CHANNEL_TYPES)
  type: ChannelType;

  /** @example "Support line" */
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name: string;

  // Checked against the class of `type` (config.domain, config.from, ...); what is missing is reported by
  // the service too, which also applies the provider defaults.
  @ApiProperty({ description: 'The provider settings of `type`', oneOf: oneOf(MailgunConfig, TwilioConfig, WhatsappConfig) })
  @ValidateIf((o: { type?: unknown; config?: unknown }) => knownType(o) && o.config !== undefined)
  @ValidateNested()
  @Type((h) => CHANNEL_SHAPES[h?.object.type as ChannelType]?.config ?? Object)
  config: MailgunConfig | TwilioConfig | WhatsappConfig;

  @ApiProperty({
    description: 'Credentials of `type`: encrypted at rest, never answered (write-only)',
    writeOnly: true,
    oneOf: oneOf(MailgunSecrets, TwilioSecrets, WhatsappSecrets),
  })
  @ValidateIf((o: { type?: unknown; secrets?: unknown }) => knownType(o) && o.secrets !== undefined)
  @ValidateNested()
  @Type((h) => CHANNEL_SHAPES[h?.object.type as ChannelType]?.secrets ?? Object)
  secrets: MailgunSecrets | TwilioSecrets | WhatsappSecrets;
}

/** Change the name, or merge config / secrets over the stored ones (the type cannot change). */
export class UpdateChannelDto {
  /** Only the current type is accepted. */
  @IsOptional()
  @IsIn(CHANNEL_TYPES)
  type?: ChannelType;

  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    description: 'Merged over the stored config, then checked as a whole; null clears an optional setting (back to the default)',
    oneOf: oneOf(MailgunConfig, TwilioConfig, WhatsappConfig),
  })
  @IsOptional()
  @IsPlainObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'Merged over the stored secrets, then checked as a whole (write-only)',
    writeOnly: true,
    oneOf: oneOf(MailgunSecrets, TwilioSecrets, WhatsappSecrets),
  })
  @IsOptional()
  @IsPlainObject()
  secrets?: Record<string, unknown>;
}
