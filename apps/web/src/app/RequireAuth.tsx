import { Button, Result, Spin } from 'antd';
import { Navigate, useLocation } from 'react-router';
import { ApiError, errorText } from '../api/problem';
import { getToken, loginPathFor } from '../api/session';
import { useMe } from '../hooks/auth';
import { Shell } from './Shell';

/** Every page but /login: signed out, the user goes to /login and comes back here afterwards. */
export function RequireAuth() {
  const location = useLocation();
  const me = useMe();
  if (!getToken() || (me.error instanceof ApiError && me.error.status === 401)) return <Navigate to={loginPathFor(location)} replace />;
  if (me.isPending) return <Spin fullscreen tip="加载中" />;
  if (me.isError)
    return (
      <Result
        status="error"
        title="无法连接督办系统"
        subTitle={errorText(me.error)}
        extra={
          <Button type="primary" onClick={() => void me.refetch()}>
            重试
          </Button>
        }
      />
    );
  return <Shell me={me.data} />;
}
