import { useQueryClient } from '@tanstack/react-query';
import { NavLink, useNavigate } from 'react-router';
import { Toaster } from 'sonner';
import { Session, signOut } from '../api';
import { ROUTES } from '../routes';
import { InboxUnreadBadge } from './InboxUnreadBadge';

export function Layout({ session, children }: { session: Session; children: React.ReactNode }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const onSignOut = async () => {
    await signOut();
    queryClient.clear();
    void navigate('/signin');
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-label="Cadence">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Cadence
        </span>
        <nav aria-label="Main" className="main-nav">
          {ROUTES.filter((r) => r.nav).map((r) => (
            <NavLink key={r.path} to={r.path}>
              {r.nav}
              {r.path === '/inbox' && <InboxUnreadBadge />}
            </NavLink>
          ))}
        </nav>
        <div className="account">
          <span className="org" title="Organization" data-testid="organization">
            {session.organization.name}
          </span>
          {session.user && <span className="user">{session.user.email}</span>}
          <button type="button" className="btn btn-ghost" onClick={() => void onSignOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <Toaster position="bottom-right" richColors closeButton duration={6000} />
    </>
  );
}
