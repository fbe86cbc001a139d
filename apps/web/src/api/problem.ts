/** An RFC 9457 problem as the api answers errors (API.md), with the members the console shows. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  allowedActions?: string[];
}

/** The names the console gives the fields an error may name. */
const FIELD_NAMES: Record<string, string> = {
  comment: '办理意见',
  progress: '进度',
  dueAt: '期限',
  rating: '评价',
  assigneeId: '经办人',
  card: '牌',
  contact: '联系人',
  'contact.name': '联系人',
  'contact.phone': '联系电话',
  cc: '抄送',
  attachment: '附件',
  attachmentIds: '附件',
  username: '用户名',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  displayName: '姓名',
  roles: '角色',
  email: '电子邮箱',
  departmentId: '所属单位',
  parentId: '上级单位',
  supervisorDepartmentId: '督办单位',
  code: '单位代码',
  url: '推送地址',
  secret: '签名密钥',
  events: '事件',
  text: '工作要点全文',
  year: '年度',
  workflow: '办理流程',
};

const STATUS_WORDS: Record<number, string> = {
  400: '提交的内容有误',
  401: '请重新登录',
  403: '没有权限执行此操作',
  404: '未找到，或无权查看',
  409: '操作与任务当前状态冲突，请刷新后再试',
  413: '内容过大',
  429: '操作过于频繁，请稍后再试',
};

/** An error answer of the api: its status and problem, worded in Chinese for the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problemText(status, problem));
    this.name = 'ApiError';
  }
}

/**
 * What to tell the user about a problem: the api's detail (Chinese first) and each field's
 * message (one that only repeats the detail is not said twice), else a sentence for the status.
 * Never an English-only status line.
 */
export function problemText(status: number, problem: Problem | null): string {
  const parts: string[] = [];
  if (problem?.detail) parts.push(problem.detail);
  for (const e of problem?.errors ?? []) if (e.message !== problem?.detail) parts.push(`${FIELD_NAMES[e.path] ?? e.path}：${e.message}`);
  if (parts.length === 0) parts.push(STATUS_WORDS[status] ?? (status >= 500 ? '服务暂时不可用，请稍后再试' : `请求失败（${status}）`));
  return parts.join('；');
}

/** The text of any error a query or mutation threw. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return '网络连接失败，请检查网络后重试';
}
