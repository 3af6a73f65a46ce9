import { useQuery } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { api, ApiError, Session } from './api';
import { Layout } from './components/Layout';
import { Loading } from './components/Loading';
import { ErrorBanner } from './components/ErrorBanner';
import { SignInPage } from './pages/SignInPage';
import { HOME, ROUTES } from './routes';

export function useSession() {
  return useQuery<Session, ApiError>({ queryKey: ['session'], queryFn: () => api<Session>('GET', '/session'), staleTime: 60_000 });
}

/** Pages that need a signed-in person: anyone else goes to /signin and comes back afterwards. */
function Protected({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.error?.status === 401)
    return <Navigate to={`/signin?returnTo=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (session.error) return <ErrorBanner error={session.error} />;
  return (
    <Layout session={session.data}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </Layout>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/signin" element={<SignInPage />} />
      {ROUTES.map(({ path, Page }) => (
        <Route
          key={path}
          path={path}
          element={
            <Protected>
              <Page />
            </Protected>
          }
        />
      ))}
      <Route path="*" element={<Navigate to={HOME} replace />} />
    </Routes>
  );
}
