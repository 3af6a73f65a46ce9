import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { notify } from '../../components/toast';
import {
  CHANNEL_LABELS,
  REASON_LABELS,
  Suppression,
  SUPPRESSION_CHANNELS,
  SUPPRESSION_REASONS,
  SuppressionChannel,
  SuppressionReason,
} from './types';

/** One address on one channel that no campaign may contact again (idempotent on the server). */
export function AddSuppressionForm() {
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState<SuppressionChannel>('email');
  const [address, setAddress] = useState('');
  const [reason, setReason] = useState<SuppressionReason>('manual');
  const add = useMutation({
    mutationFn: () => api<Suppression>('POST', '/suppressions', { channel, address: address.trim(), reason }),
    onSuccess: (s) => {
      notify.success(`${s.address} is suppressed on ${CHANNEL_LABELS[s.channel]}`);
      setAddress('');
      void queryClient.invalidateQueries({ queryKey: ['suppressions'] });
    },
  });
  return (
    <form
      className="card form"
      aria-labelledby="add-suppression-title"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h2 id="add-suppression-title">Add a suppression</h2>
      <div className="toolbar">
        <Field label="Channel">
          {(p) => (
            <select {...p} value={channel} onChange={(e) => setChannel(e.target.value as SuppressionChannel)}>
              {SUPPRESSION_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_LABELS[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Address" hint={channel === 'email' ? 'An email address' : 'A phone number in international form, e.g. +14155550123'}>
          {(p) => (
            <input
              {...p}
              required
              maxLength={320}
              type={channel === 'email' ? 'email' : 'tel'}
              value={address}
              onChange={(e) => setAddress(e.target.value)}
            />
          )}
        </Field>
        <Field label="Reason">
          {(p) => (
            <select {...p} value={reason} onChange={(e) => setReason(e.target.value as SuppressionReason)}>
              {SUPPRESSION_REASONS.map((r) => (
                <option key={r} value={r}>
                  {REASON_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={add.isPending}>
            {add.isPending ? 'Adding…' : 'Add suppression'}
          </button>
        </div>
      </div>
      {add.error && <ErrorBanner error={add.error} onDismiss={() => add.reset()} />}
    </form>
  );
}
