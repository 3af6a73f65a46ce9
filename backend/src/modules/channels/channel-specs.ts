import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, validateSync, ValidationError } from 'class-validator';
import { AppError } from '../../common/errors/app-error';
import { ChannelType } from './channel-connection.entity';

const URL = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;
const E164 = /^\+[1-9]\d{6,14}$/;

class RateSettings {
  /** The sender's own limit; campaign settings can only lower it. */
  @IsOptional() @IsInt() @Min(1) @Max(100_000) ratePerSecond?: number;
  @IsOptional() @IsInt() @Min(1) @Max(10_000_000) dailyCap?: number;
  @IsOptional() @Matches(URL, { message: 'baseUrl must be an http(s) URL' }) baseUrl?: string;
}

export class MailgunConfig extends RateSettings {
  @IsString() @Matches(/^[a-z0-9.-]+\.[a-z]{2,}$/i, { message: 'domain must be a sending domain like mg.example.com' }) domain: string;
  @IsString() @IsNotEmpty() from: string;
  @IsOptional() @IsIn(['us', 'eu']) region?: 'us' | 'eu';
}
export class MailgunSecrets {
  @IsString() @IsNotEmpty() apiKey: string;
  @IsString() @IsNotEmpty() webhookSigningKey: string;
}

export class TwilioConfig extends RateSettings {
  @IsString() @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'accountSid must look like AC followed by 32 hex digits' }) accountSid: string;
  @IsOptional() @Matches(E164, { message: 'from must be an E.164 number like +14155550123' }) from?: string;
  @IsOptional() @Matches(/^MG[0-9a-fA-F]{32}$/, { message: 'messagingServiceSid must look like MG followed by 32 hex digits' }) messagingServiceSid?: string;
  /** Voice: calls in flight at once, and the pause between two call starts. */
  @IsOptional() @IsInt() @Min(1) @Max(1000) maxConcurrentCalls?: number;
  @IsOptional() @IsInt() @Min(0) @Max(3600) callDelaySeconds?: number;
}
export class TwilioSecrets {
  @IsString() @IsNotEmpty() authToken: string;
}

export class WhatsappConfig extends RateSettings {
  @IsString() @Matches(/^\d{5,32}$/, { message: 'phoneNumberId must be the numeric id Meta shows for the number' }) phoneNumberId: string;
  @IsOptional() @Matches(/^\d{5,32}$/) businessAccountId?: string;
  @IsOptional() @Matches(/^v\d+\.\d+$/, { message: 'apiVersion must look like v21.0' }) apiVersion?: string;
}
export class WhatsappSecrets {
  @IsString() @IsNotEmpty() accessToken: string;
  @IsString() @IsNotEmpty() appSecret: string;
  @IsOptional() @IsString() @IsNotEmpty() verifyToken?: string;
}

interface ChannelSpec {
  config: new () => object;
  secrets: new () => object;
  /** Provider defaults: a long-code Twilio number sends 1 msg/s; WhatsApp Cloud API 80 msg/s per number. */
  defaults: Record<string, unknown>;
}

export const CHANNEL_SPECS: Record<ChannelType, ChannelSpec> = {
  mailgun: { config: MailgunConfig, secrets: MailgunSecrets, defaults: { region: 'us', ratePerSecond: 1000 } },
  twilio: { config: TwilioConfig, secrets: TwilioSecrets, defaults: { ratePerSecond: 1, maxConcurrentCalls: 1, callDelaySeconds: 0 } },
  whatsapp: { config: WhatsappConfig, secrets: WhatsappSecrets, defaults: { apiVersion: 'v21.0', ratePerSecond: 80 } },
};

export function defaultBaseUrl(type: ChannelType, config: Record<string, unknown>): string {
  if (typeof config.baseUrl === 'string') return config.baseUrl.replace(/\/+$/, '');
  if (type === 'mailgun') return config.region === 'eu' ? 'https://api.eu.mailgun.net' : 'https://api.mailgun.net';
  if (type === 'twilio') return 'https://api.twilio.com';
  return 'https://graph.facebook.com';
}

function problems(errors: ValidationError[], prefix: string) {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}).map((message) => ({ field: `${prefix}.${e.property}`, message })));
}

export function validateChannel(type: ChannelType, config: unknown, secrets: unknown): { config: Record<string, unknown>; secrets: Record<string, string> } {
  const spec = CHANNEL_SPECS[type];
  if (typeof config !== 'object' || config === null) throw new AppError('validation_failed', 'config must be an object');
  if (typeof secrets !== 'object' || secrets === null) throw new AppError('validation_failed', 'secrets must be an object');
  const c = plainToInstance(spec.config, { ...spec.defaults, ...config });
  const s = plainToInstance(spec.secrets, secrets);
  const details = [
    ...problems(validateSync(c, { whitelist: true, forbidNonWhitelisted: true }), 'config'),
    ...problems(validateSync(s, { whitelist: true, forbidNonWhitelisted: true }), 'secrets'),
  ];
  if (type === 'twilio' && !(c as TwilioConfig).from && !(c as TwilioConfig).messagingServiceSid) {
    details.push({ field: 'config.from', message: 'twilio needs config.from or config.messagingServiceSid' });
  }
  if (details.length) throw new AppError('validation_failed', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  return { config: { ...c }, secrets: { ...(s as Record<string, string>) } };
}
