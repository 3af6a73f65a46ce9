import { ChannelType } from './channel-connection.entity';

/**
 * The addresses of this backend a person pastes at the provider so that delivery events and replies reach
 * the channel (see webhooks.controller.ts). Built from PUBLIC_URL: the address the provider can reach.
 * - Mailgun: one URL for every event webhook of the domain (delivered, failed, opened, unsubscribed...), and
 *   `inbound`, the target of a receiving route's forward() (replies, out-of-office answers, bounces).
 * - Twilio: `inbound` goes on the number ("A message comes in"), `voice` on "A call comes in" (a missed
 *   call becomes a callback request); `status` is also sent with every message the campaigns send, so
 *   pasting it is only needed for messages sent outside Cadence.
 * - WhatsApp: the Cloud API's callback URL, verified by GET with the channel's verifyToken, then POSTed to.
 */
export function channelWebhookUrls(publicUrl: string, type: ChannelType, channelId: string): Record<string, string> {
  const base = `${publicUrl}/webhooks/${type}/${channelId}`;
  if (type === 'twilio') return { inbound: `${base}/inbound`, status: `${base}/status`, voice: `${base}/voice` };
  if (type === 'mailgun') return { events: base, inbound: `${base}/inbound` };
  return { callback: base };
}
