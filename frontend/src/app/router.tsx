import { Navigate, Outlet, createBrowserRouter, type RouteObject } from 'react-router';
import { RequireAuth } from '@/features/auth/components/require-auth';
import { PageLoader } from './components/page-loader';
import { LoginRoute } from './routes/login';

export const routes: RouteObject[] = [
  {
    Component: Outlet,
    HydrateFallback: PageLoader,
    children: [
      { path: '/login', Component: LoginRoute },
      {
        path: '/',
        element: (
          <RequireAuth>
            <Outlet />
          </RequireAuth>
        ),
        children: [
          {
            index: true,
            // The home page (and everything behind login) is a separate chunk.
            lazy: async () => ({ Component: (await import('./routes/home')).HomeRoute }),
          },
        ],
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
