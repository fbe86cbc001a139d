import { Result } from 'antd';

/** A path that is no page of the console. */
export default function NotFoundPage() {
  return <Result status="404" title="页面不存在" subTitle="请检查地址，或从左侧菜单进入。" />;
}
