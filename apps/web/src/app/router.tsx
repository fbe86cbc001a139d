import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { setSignedOutHandler } from '../api/client';
import { Home } from './Home';
import { RequireAuth } from './RequireAuth';
import { RequireRole } from './RequireRole';

// One chunk per page: the first load (login, then /work) fetches only what those two need.
const LoginPage = lazy(() => import('../pages/login/LoginPage'));
const WorkPage = lazy(() => import('../pages/work/WorkPage'));
const TaskListPage = lazy(() => import('../pages/tasks/TaskListPage'));
const TaskPage = lazy(() => import('../pages/tasks/TaskPage'));
const NotificationsPage = lazy(() => import('../pages/notifications/NotificationsPage'));
const SupervisionPage = lazy(() => import('../pages/supervision/SupervisionPage'));
const PlansPage = lazy(() => import('../pages/plans/PlansPage'));
const PlanPage = lazy(() => import('../pages/plans/PlanPage'));
const PlanImportPage = lazy(() => import('../pages/plans/PlanImportPage'));
const ReportsPage = lazy(() => import('../pages/reports/ReportsPage'));
const AdminPage = lazy(() => import('../pages/admin/AdminPage'));
const DepartmentsPage = lazy(() => import('../pages/admin/DepartmentsPage'));
const UsersPage = lazy(() => import('../pages/admin/UsersPage'));
const WebhooksPage = lazy(() => import('../pages/admin/WebhooksPage'));
const MePage = lazy(() => import('../pages/me/MePage'));
const CalendarsPage = lazy(() => import('../pages/admin/CalendarsPage'));
const CalendarPage = lazy(() => import('../pages/admin/CalendarPage'));
const WorkflowsPage = lazy(() => import('../pages/admin/WorkflowsPage'));
const WorkflowPage = lazy(() => import('../pages/admin/WorkflowPage'));
const NotFoundPage = lazy(() => import('../pages/not-found/NotFoundPage'));

const page = (element: ReactNode) => <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>{element}</Suspense>;

/** UI.md's routes; each is bookmarkable, and the api answers index.html on each. */
export const router = createBrowserRouter([
  { path: '/login', element: page(<LoginPage />) },
  {
    element: <RequireAuth />,
    children: [
      { index: true, element: <Home /> },
      { path: 'work', element: page(<WorkPage />) },
      { path: 'tasks', element: page(<TaskListPage />) },
      { path: 'tasks/:id', element: page(<TaskPage />) },
      { path: 'notifications', element: page(<NotificationsPage />) },
      { path: 'supervision', element: page(<SupervisionPage />) },
      { path: 'plans', element: page(<PlansPage />) },
      { path: 'plans/:id', element: page(<PlanPage />) },
      { path: 'reports', element: page(<ReportsPage />) },
      { path: 'me', element: page(<MePage />) },
      {
        path: 'admin',
        element: <RequireRole role="admin" label="系统管理员" />,
        children: [
          { index: true, element: page(<AdminPage />) },
          { path: 'departments', element: page(<DepartmentsPage />) },
          { path: 'users', element: page(<UsersPage />) },
          { path: 'calendars', element: page(<CalendarsPage />) },
          { path: 'calendars/:key', element: page(<CalendarPage />) },
          { path: 'workflows', element: page(<WorkflowsPage />) },
          { path: 'workflows/:key', element: page(<WorkflowPage />) },
          { path: 'plans/import', element: page(<PlanImportPage />) },
          { path: 'webhooks', element: page(<WebhooksPage />) },
          { path: '*', element: page(<NotFoundPage />) },
        ],
      },
      { path: '*', element: page(<NotFoundPage />) },
    ],
  },
]);

setSignedOutHandler((loginPath) => void router.navigate(loginPath, { replace: true }));
