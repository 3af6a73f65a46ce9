import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, ApiError } from '../../api';
import { useSession } from '../../App';
import { Field } from '../../components/Field';
import { notify } from '../../components/toast';
import type { Member, Team } from './types';

const E164 = /^\+[1-9]\d{6,14}$/;

/** The signed-in member's own phone: "Call now" on a callback request rings it before bridging the lead. */
export function MyPhoneSection() {
  const headingId = useId();
  const queryClient = useQueryClient();
  const me = useSession().data?.user?.id;
  const team = useQuery({ queryKey: ['team'], queryFn: () => api<Team>('GET', '/users') });
  const current = team.data?.items.find((m) => m.id === me)?.phone ?? '';
  // What the member typed; until then, the saved phone.
  const [draft, setDraft] = useState<string | null>(null);
  const phone = draft ?? current;
  const save = useMutation({
    mutationFn: () => api<Member>('PUT', '/users/me/phone', { phone: phone.trim() === '' ? null : phone.trim() }),
    onSuccess: (m) => {
      notify.success(m.phone ? `Calls will ring ${m.phone}` : 'Phone removed');
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: ['team'] });
    },
    onError: (e) => notify.error(e, 'Phone not saved'),
  });
  const invalid = phone.trim() !== '' && !E164.test(phone.trim());
  const serverError = save.error instanceof ApiError ? save.error.message : null;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>My phone</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!invalid) save.mutate();
        }}
      >
        <Field
          label="Phone for “Call now”"
          hint="In E.164, e.g. +14155550100. Calling a lead back from a callback request rings this phone first, then connects the lead."
          error={invalid ? 'Use + and 7 to 15 digits' : serverError}
        >
          {(p) => <input {...p} type="tel" value={phone} onChange={(e) => setDraft(e.target.value)} disabled={!me} />}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={!me || invalid || save.isPending || phone.trim() === current}>
          Save phone
        </button>
      </form>
    </section>
  );
}
