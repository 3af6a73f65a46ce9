import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppError } from '../../common/errors/app-error';
import { ChannelType } from './channel-connection.entity';
import { MailgunConfig, MailgunSecrets, TwilioConfig, TwilioSecrets, WhatsappConfig, WhatsappSecrets } from './channels.dto';

export { MailgunConfig, MailgunSecrets, TwilioConfig, TwilioSecrets, WhatsappConfig, WhatsappSecrets };

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

export function validateChannel(
  type: ChannelType,
  config: unknown,
  secrets: unknown,
): { config: Record<string, unknown>; secrets: Record<string, string> } {
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
