import type { components } from '../../api/schema';
import type { Role } from '../../api/types';

export type DepartmentKind = components['schemas']['DepartmentDto']['kind'];

/** The words of a department's kind (API.md `kind`). */
export const KIND_LABELS: Record<DepartmentKind, string> = {
  bureau: '委办局',
  county: '县（市、区）',
  town: '乡镇（街道）',
  office: '科室',
  other: '其他',
};

/** The words of a user's roles. */
export const ROLE_LABELS: Record<Role, string> = {
  lead: '部门负责人',
  handler: '承办人',
  supervisor: '督查员',
  admin: '系统管理员',
};

export const options = <K extends string>(labels: Record<K, string>) => (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
