import { useMemo } from 'react';
import type { Task } from '../api/types';
import { useDepartments } from './org';
import { useWorkflowDefinitions, useWorkflows } from './workflows';

/**
 * Names for what an older api gives only as keys or ids (workflow key, department id): the task
 * view's own names win; the lists of workflows and departments fill in; never a bare id.
 */
export function useNames() {
  const workflows = useWorkflows();
  const departments = useDepartments();
  const definitions = useWorkflowDefinitions((workflows.data?.items ?? []).map((w) => w.key));
  const stateLabels = definitions.map((d) => d.data);
  return useMemo(() => {
    const states = new Map(stateLabels.flatMap((d) => (d ? d.states.map((s) => [`${d.key}|${s.key}`, s.label] as const) : [])));
    const workflowNames = new Map((workflows.data?.items ?? []).map((w) => [w.key, w.name]));
    const departmentNames = new Map((departments.data?.items ?? []).map((d) => [d.id, d.name]));
    return {
      workflow: (item: { workflow: string; workflowName?: string }) => item.workflowName ?? workflowNames.get(item.workflow) ?? item.workflow,
      department: (owner: { departmentId: string; departmentName?: string }) => owner.departmentName ?? departmentNames.get(owner.departmentId) ?? '—',
      state: (task: Pick<Task, 'workflow' | 'state' | 'stateLabel'>) => task.stateLabel ?? states.get(`${task.workflow}|${task.state}`) ?? task.state,
      departmentById: (id: string | null | undefined) => (id ? (departmentNames.get(id) ?? '—') : '—'),
    };
  }, [workflows.data, departments.data, stateLabels.filter(Boolean).length]);
}
