import { CopyField } from '../CopyField';
import type { ChannelDetail } from '../types';
import { CHANNEL_TYPES, WEBHOOK_LABELS } from './channelFields';

/** The addresses to paste at the provider, each with a Copy button and where it goes. */
export function WebhookUrls({ channel: c, open }: { channel: ChannelDetail; open?: boolean }) {
  const entries = Object.entries(c.webhookUrls ?? {});
  if (entries.length === 0) return null;
  return (
    <details className="webhooks" open={open}>
      <summary>
        Webhook URL{entries.length > 1 ? 's' : ''} to paste at {CHANNEL_TYPES[c.type].label}
      </summary>
      <div className="webhooks-body">
        {entries.map(([key, url]) => {
          const known = WEBHOOK_LABELS[`${c.type}.${key}`];
          return <CopyField key={key} label={`${known?.label ?? key} of ${c.name}`} value={url} hint={known?.hint} />;
        })}
      </div>
    </details>
  );
}
