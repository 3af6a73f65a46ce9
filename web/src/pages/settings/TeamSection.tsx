import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api';
import { useSession } from '../../App';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Column, DataTable } from '../../components/DataTable';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { notify } from '../../components/toast';
import { formatDate, formatDateTime, formatRelative } from '../../format';
import { CopyField } from './CopyField';
import type { Invitation, Member, SignupMode, Team } from './types';

const TEAM = ['team'];

/** The server's sign-up policy (SIGNUP_MODE), public like the sign-in page that also shows it. */
function useSignupMode() {
  return useQuery({
    queryKey: ['auth-status'],
    queryFn: async () => ((await (await fetch('/auth/status')).json()) as { signupMode: SignupMode }).signupMode,
    staleTime: Infinity,
  });
}

/** Who can sign in to this organization, and invitations not yet accepted. */
export function TeamSection() {
  const headingId = useId();
  const team = useQuery({ queryKey: TEAM, queryFn: () => api<Team>('GET', '/users') });
  const mode = useSignupMode();
  const me = useSession().data?.user?.id;

  const memberColumns: Column<Member>[] = [
    {
      key: 'who',
      header: 'Member',
      cell: (m) => (
        <>
          <strong>{m.email}</strong>
          {m.name && <div className="muted">{m.name}</div>}
        </>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      cell: (m) =>
        m.id === me ? (
          <span className="badge badge-primary">You</span>
        ) : m.signedUp ? (
          <span className="badge badge-ok">Active</span>
        ) : (
          <span className="badge badge-muted">Never signed in</span>
        ),
    },
    { key: 'lastSignIn', header: 'Last sign-in', cell: (m) => (m.lastSignInAt ? formatRelative(m.lastSignInAt) : '—'), secondary: true },
    { key: 'joined', header: 'Joined', cell: (m) => formatDate(m.createdAt), secondary: true },
    {
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      cell: (m) => m.id !== me && <RemoveMember member={m} />,
      align: 'end',
    },
  ];
  const invitationColumns: Column<Invitation>[] = [
    {
      key: 'who',
      header: 'Invited',
      cell: (i) => (
        <>
          <strong>{i.email}</strong>
          {i.name && <div className="muted">{i.name}</div>}
        </>
      ),
    },
    { key: 'sent', header: 'Sent', cell: (i) => formatDateTime(i.createdAt), secondary: true },
    {
      key: 'expires',
      header: 'Expires',
      cell: (i) => (new Date(i.expiresAt).getTime() < Date.now() ? 'Expired' : formatDateTime(i.expiresAt)),
    },
    { key: 'actions', header: <span className="sr-only">Actions</span>, cell: (i) => <RevokeInvitation invitation={i} />, align: 'end' },
  ];

  return (
    <section className="card settings-section" aria-labelledby={headingId}>
      <div className="section-head">
        <div>
          <h2 id={headingId}>Team</h2>
          <p className="muted">
            People who sign in to this organization with Google.{' '}
            {mode.data === 'invite'
              ? 'Sign-up is by invitation only on this server: a new person joins only by opening an invitation link.'
              : mode.data === 'open'
                ? 'Anyone can sign up on this server, but they get an organization of their own: to work in this one, invite them.'
                : ''}
          </p>
        </div>
      </div>
      <InviteForm />
      <DataTable
        caption="Members"
        columns={memberColumns}
        rows={team.data?.items}
        rowKey={(m) => m.id}
        isLoading={team.isPending}
        error={team.error}
        rowTestId="member"
      />
      <h3>Pending invitations</h3>
      {team.data && team.data.invitations.length === 0 ? (
        <p className="empty">No pending invitation.</p>
      ) : (
        <DataTable
          caption="Pending invitations"
          columns={invitationColumns}
          rows={team.data?.invitations}
          rowKey={(i) => i.id}
          isLoading={team.isPending}
          error={team.error}
          rowTestId="invitation"
        />
      )}
    </section>
  );
}

function InviteForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const invite = useMutation({
    mutationFn: () => api<Invitation>('POST', '/users/invite', { email: email.trim(), ...(name.trim() && { name: name.trim() }) }),
    onSuccess: () => {
      setEmail('');
      setName('');
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: TEAM }),
  });
  const sent = invite.data;
  return (
    <>
      <form
        className="add-form"
        aria-label="Invite a teammate"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
      >
        <Field label="Email to invite" hint="The Google address they will sign in with.">
          {(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={320} required />}
        </Field>
        <Field label="Their name (optional)">
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={invite.isPending || !email.trim()}>
          {invite.isPending ? 'Inviting…' : 'Invite'}
        </button>
      </form>
      {invite.error && <ErrorBanner error={invite.error} onDismiss={() => invite.reset()} />}
      {sent?.acceptUrl && (
        <div className="once-panel" role="region" aria-label={`Invitation for ${sent.email}`}>
          <h3>Invitation for {sent.email} created</h3>
          <p className="once-warning" role="status">
            Send them this link: it is shown only now. It works once, until {formatDateTime(sent.expiresAt)}, for someone signing in with
            Google as {sent.email}.
          </p>
          <CopyField label="Invitation link" value={sent.acceptUrl} />
          <div>
            <button type="button" className="btn" onClick={() => invite.reset()}>
              Done
            </button>
          </div>
        </div>
      )}
    </>
  );
}

function RevokeInvitation({ invitation: i }: { invitation: Invitation }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api<void>('DELETE', `/users/invitations/${i.id}`),
    onSuccess: () => notify.success(`The invitation for ${i.email} was revoked`),
    onError: (e) => notify.error(e, `The invitation for ${i.email} was not revoked`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: TEAM }),
  });
  return (
    <ConfirmButton
      danger
      title={`Revoke the invitation for ${i.email}?`}
      message="Its link stops working. You can invite them again later."
      confirmLabel="Revoke invitation"
      onConfirm={() => revoke.mutate()}
      disabled={revoke.isPending}
      ariaLabel={`Revoke the invitation for ${i.email}`}
    >
      Revoke
    </ConfirmButton>
  );
}

function RemoveMember({ member: m }: { member: Member }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/users/${m.id}`),
    onSuccess: () => notify.success(`${m.email} was removed from the organization`),
    onError: (e) => notify.error(e, `${m.email} was not removed`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: TEAM }),
  });
  return (
    <ConfirmButton
      danger
      title={`Remove ${m.email}?`}
      message="They are signed out at once and can no longer sign in to this organization. The organization’s campaigns and data stay."
      confirmLabel="Remove member"
      onConfirm={() => remove.mutate()}
      disabled={remove.isPending}
      ariaLabel={`Remove ${m.email}`}
    >
      Remove
    </ConfirmButton>
  );
}
