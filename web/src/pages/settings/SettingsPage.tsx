import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Banner } from '../../components/Banner';
import { AiProviderSection } from './AiProviderSection';
import { ApiKeysSection } from './ApiKeysSection';
import { ChannelsSection } from './channels/ChannelsSection';
import { Flash, flashFrom } from './flash';
import { MailboxesSection } from './MailboxesSection';
import { MyPhoneSection } from './MyPhoneSection';
import { TeamSection } from './TeamSection';
import './settings.css';

/** Senders (Gmail mailboxes, provider channels), the organization's people, its AI provider, and its API keys. */
export function SettingsPage() {
  const [params, setParams] = useSearchParams();
  // Outcomes of the Google round trip arrive as query parameters: shown once (the effect cleans the URL).
  const [flash, setFlash] = useState<Flash | null>(() => flashFrom(params));
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (params.has('connected') || params.has('gmail_error')) setParams({}, { replace: true });
  }, [params, setParams]);

  useEffect(() => {
    document.title = 'Settings · Cadence';
    headingRef.current?.focus();
  }, []);

  return (
    <div className="page">
      <h1 ref={headingRef} tabIndex={-1}>
        Settings
      </h1>
      {flash && (
        <Banner tone={flash.tone} onDismiss={() => setFlash(null)}>
          {flash.text}
        </Banner>
      )}
      <MailboxesSection onFlash={setFlash} />
      <ChannelsSection />
      <TeamSection />
      <MyPhoneSection />
      <AiProviderSection />
      <ApiKeysSection />
    </div>
  );
}
