import { Result } from 'antd';

/** A page of a later issue (督办台, plans, reports, administration): says so rather than failing. */
export default function Placeholder({ title }: { title: string }) {
  return <Result status="info" title={title} subTitle="该页面建设中。可先在“全部任务”和“消息”中办理工作。" />;
}

/** A path that is no page of the console. */
export function NotFound() {
  return <Result status="404" title="页面不存在" subTitle="请检查地址，或从左侧菜单进入。" />;
}
