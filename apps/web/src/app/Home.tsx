import { Navigate } from 'react-router';
import { homeOf, useMe } from '../hooks/auth';

/** `/`: the user's home by role (UI.md). */
export function Home() {
  const me = useMe();
  return me.data ? <Navigate to={homeOf(me.data.roles)} replace /> : null;
}
