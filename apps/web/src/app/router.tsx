import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { setSignedOutHandler } from '../api/client';
import { Home } from './Home';
import { RequireAuth } from './RequireAuth';

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
const Placeholder = lazy(() => import('../pages/placeholder/Placeholder'));
const NotFound = lazy(() => import('../pages/placeholder/Placeholder').then((m) => ({ default: m.NotFound })));

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
      { path: 'admin', element: page(<AdminPage />) },
      { path: 'admin/plans/import', element: page(<PlanImportPage />) },
      { path: 'admin/departments', element: page(<DepartmentsPage />) },
      { path: 'admin/users', element: page(<UsersPage />) },
      { path: 'admin/webhooks', element: page(<WebhooksPage />) },
      { path: 'me', element: page(<MePage />) },
      { path: 'admin/calendars', element: page(<CalendarsPage />) },
      { path: 'admin/calendars/:key', element: page(<CalendarPage />) },
      { path: 'admin/workflows', element: page(<WorkflowsPage />) },
      { path: 'admin/workflows/:key', element: page(<WorkflowPage />) },
      { path: 'admin/*', element: page(<Placeholder title="系统管理" />) },
      { path: '*', element: page(<NotFound />) },
    ],
  },
]);

setSignedOutHandler((loginPath) => void router.navigate(loginPath, { replace: true }));
