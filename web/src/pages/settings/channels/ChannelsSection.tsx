import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../../api';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Loading } from '../../../components/Loading';
import { notify } from '../../../components/toast';
import type { ChannelDetail } from '../types';
import { ChannelForm } from './ChannelForm';
import { ChannelRow } from './ChannelRow';

/** Mailgun domains, Twilio numbers and WhatsApp numbers: added, edited, tested and removed here. */
export function ChannelsSection() {
  const headingId = useId();
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => api<{ items: ChannelDetail[] }>('GET', '/channels?limit=100') });
  const [adding, setAdding] = useState(false);
  // The channel just added opens its webhook URLs: the next thing to do is paste them at the provider.
  const [added, setAdded] = useState<string | null>(null);
  return (
    <section className="card settings-section" aria-labelledby={headingId}>
      <div className="section-head">
        <div>
          <h2 id={headingId}>Channels</h2>
          <p className="muted">
            Mailgun domains, Twilio numbers and WhatsApp Business numbers. Secrets are stored encrypted and never shown.
          </p>
        </div>
        {!adding && (
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            Add channel
          </button>
        )}
      </div>
      {adding && (
        <ChannelForm
          onCancel={() => setAdding(false)}
          onDone={(c) => {
            setAdding(false);
            setAdded(c.id);
            notify.success(`${c.name} added: paste its webhook URL at the provider, then test it`);
          }}
        />
      )}
      {channels.isPending && <Loading what="channels" />}
      {channels.error && <ErrorBanner error={channels.error} />}
      {channels.data && channels.data.items.length === 0 && !adding && (
        <EmptyState title="No channel yet">
          Add a Mailgun domain, a Twilio number or a WhatsApp number to send campaigns with it.
        </EmptyState>
      )}
      {channels.data && channels.data.items.length > 0 && (
        <ul className="rows" aria-label="Channels">
          {channels.data.items.map((c) => (
            <ChannelRow key={c.id} channel={c} showWebhooks={c.id === added} />
          ))}
        </ul>
      )}
    </section>
  );
}
