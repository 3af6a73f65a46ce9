import { useQuery } from '@tanstack/react-query';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { api, ApiError, Session } from './api';
import { Layout } from './components/Layout';
import { SettingsPage } from './pages/SettingsPage';
import { SignInPage } from './pages/SignInPage';

export function useSession() {
  return useQuery<Session, ApiError>({ queryKey: ['session'], queryFn: () => api<Session>('GET', '/session'), staleTime: 60_000 });
}

/** Pages that need a signed-in person: anyone else goes to /signin and comes back afterwards. */
function Protected({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending)
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  if (session.error?.status === 401)
    return <Navigate to={`/signin?returnTo=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (session.error)
    return (
      <p className="alert alert-error" role="alert">
        {session.error.message}
      </p>
    );
  return <Layout session={session.data}>{children}</Layout>;
}

export function App() {
  return (
    <Routes>
      <Route path="/signin" element={<SignInPage />} />
      <Route
        path="/settings"
        element={
          <Protected>
            <SettingsPage />
          </Protected>
        }
      />
      <Route path="*" element={<Navigate to="/settings" replace />} />
    </Routes>
  );
}
