import { Navigate, Outlet, createBrowserRouter, type RouteObject } from 'react-router';
import { RequireAuth } from '@/features/auth/components/require-auth';
import { PageLoader } from './components/page-loader';
import { LoginRoute } from './routes/login';

/**
 * Only the login page is in the entry chunk; the shell and every page behind login are
 * separate chunks loaded on first visit.
 */
export const routes: RouteObject[] = [
  {
    Component: Outlet,
    HydrateFallback: PageLoader,
    children: [
      { path: '/login', Component: LoginRoute },
      // The survey's link is its own credential: no login.
      {
        path: '/survey/:token',
        lazy: async () => ({ Component: (await import('./routes/survey')).SurveyRoute }),
      },
      {
        path: '/',
        element: (
          <RequireAuth>
            <Outlet />
          </RequireAuth>
        ),
        children: [
          {
            lazy: async () => ({ Component: (await import('./layout/app-layout')).AppLayout }),
            HydrateFallback: PageLoader,
            children: [
              {
                index: true,
                lazy: async () => ({ Component: (await import('./routes/home')).HomeRoute }),
              },
              {
                path: 'requests/new',
                lazy: async () => ({ Component: (await import('./routes/new-request')).NewRequestRoute }),
              },
              {
                path: 'requests/new/:serviceId',
                lazy: async () => ({ Component: (await import('./routes/request-service')).RequestServiceRoute }),
              },
              {
                path: 'requests',
                lazy: async () => ({ Component: (await import('./routes/my-requests')).MyRequestsRoute }),
              },
              {
                path: 'tickets/:number',
                lazy: async () => ({ Component: (await import('./routes/ticket')).TicketRoute }),
              },
              {
                path: 'queues',
                lazy: async () => ({ Component: (await import('./routes/queues')).QueuesRoute }),
              },
              {
                path: 'kb',
                lazy: async () => ({ Component: (await import('./routes/kb')).KbRoute }),
              },
              {
                path: 'kb/new',
                lazy: async () => ({ Component: (await import('./routes/kb-editor')).KbEditorRoute }),
              },
              {
                path: 'kb/:id',
                lazy: async () => ({ Component: (await import('./routes/kb-article')).KbArticleRoute }),
              },
              {
                path: 'kb/:id/edit',
                lazy: async () => ({ Component: (await import('./routes/kb-editor')).KbEditorRoute }),
              },
              {
                path: 'supervision',
                lazy: async () => ({ Component: (await import('./routes/supervision')).SupervisionRoute }),
              },
              {
                path: 'reports',
                lazy: async () => ({ Component: (await import('./routes/reports')).ReportsRoute }),
              },
              {
                path: 'register',
                lazy: async () => ({ Component: (await import('./routes/register')).RegisterRoute }),
              },
              {
                // Everyone's own API tokens (from the user menu).
                path: 'api-tokens',
                lazy: async () => ({ Component: (await import('./routes/api-tokens')).ApiTokensRoute }),
              },
              {
                // Administration: its own chunk; each section another, loaded on first visit.
                path: 'admin',
                lazy: async () => ({ Component: (await import('./routes/admin/admin-layout')).AdminLayout }),
                children: [
                  {
                    path: 'catalog',
                    lazy: async () => ({ Component: (await import('./routes/admin/catalog')).AdminCatalogRoute }),
                  },
                  {
                    path: 'organizations',
                    lazy: async () => ({ Component: (await import('./routes/admin/organizations')).AdminOrganizationsRoute }),
                  },
                  {
                    path: 'people',
                    lazy: async () => ({ Component: (await import('./routes/admin/people')).AdminPeopleRoute }),
                  },
                  {
                    path: 'people/new',
                    lazy: async () => ({ Component: (await import('./routes/admin/new-person')).AdminNewPersonRoute }),
                  },
                  {
                    path: 'people/:id',
                    lazy: async () => ({ Component: (await import('./routes/admin/person')).AdminPersonRoute }),
                  },
                  {
                    path: 'imports',
                    lazy: async () => ({ Component: (await import('./routes/admin/imports')).AdminImportsRoute }),
                  },
                  {
                    path: 'groups',
                    lazy: async () => ({ Component: (await import('./routes/admin/groups')).AdminGroupsRoute }),
                  },
                  {
                    path: 'groups/:id',
                    lazy: async () => ({ Component: (await import('./routes/admin/group')).AdminGroupRoute }),
                  },
                  {
                    path: 'service-levels',
                    lazy: async () => ({ Component: (await import('./routes/admin/service-levels')).AdminServiceLevelsRoute }),
                  },
                  {
                    path: 'desks',
                    lazy: async () => ({ Component: (await import('./routes/admin/desks')).AdminDesksRoute }),
                  },
                  {
                    path: 'mail',
                    lazy: async () => ({ Component: (await import('./routes/admin/mail')).AdminMailRoute }),
                  },
                  {
                    path: 'api-tokens',
                    lazy: async () => ({ Component: (await import('./routes/admin/api-tokens')).AdminApiTokensRoute }),
                  },
                  {
                    path: 'webhooks',
                    lazy: async () => ({ Component: (await import('./routes/admin/webhooks')).AdminWebhooksRoute }),
                  },
                  {
                    path: 'webhooks/:id',
                    lazy: async () => ({ Component: (await import('./routes/admin/webhook')).AdminWebhookRoute }),
                  },
                ],
              },
              {
                path: 'register/:serviceId',
                lazy: async () => ({ Component: (await import('./routes/register-service')).RegisterServiceRoute }),
              },
            ],
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
