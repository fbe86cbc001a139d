import type { WorkflowDefinition } from './definition.js';

/**
 * 12345 hotline ticket, as the published 12345 rules run it: accepted (签收) within 2 working
 * hours; answered by the end of the 5th working day counted from the day after dispatch (5wde);
 * returned (退单) only within 2 working days of the dispatch; an extension asked for (延期申请)
 * once, before the due date, for a date at most 10 working days on, approved by the dispatcher; a yellow card
 * one working day before the due date (黄牌预警), a red card once overdue; the dispatcher calls
 * the citizen back (回访) within one working day of closing.
 */
export const HOTLINE_TICKET: WorkflowDefinition = {
  key: 'hotline-ticket',
  name: '12345热线工单',
  calendar: 'cn',
  deadline: '5wde',
  states: [
    {
      key: 'dispatched',
      label: '待签收',
      initial: true,
      sla: { limit: '2wh', breach: { notify: ['owner', 'supervisor'], card: 'yellow' } },
    },
    { key: 'processing', label: '办理中' },
    { key: 'extension-requested', label: '延期审核中' },
    { key: 'suspended', label: '挂起', pauseClock: true },
    { key: 'returned', label: '已退单' },
    { key: 'closed', label: '已办结', terminal: true, callback: { within: '1wd', notify: ['creator'] } },
  ],
  transitions: [
    { action: 'accept', label: '签收', from: ['dispatched'], to: 'processing', allowed: ['owner'], kpi: 'acceptance' },
    {
      action: 'return',
      label: '退单',
      from: ['dispatched'],
      to: 'returned',
      allowed: ['owner'],
      requires: ['comment'],
      kpi: 'return',
      window: { within: '2wd' },
    },
    { action: 'redispatch', label: '改派', from: ['returned'], to: 'dispatched', allowed: ['supervisor', 'creator'], requires: ['comment'] },
    { action: 'suspend', label: '挂起', from: ['processing'], to: 'suspended', allowed: ['owner'], requires: ['comment'] },
    { action: 'resume', label: '恢复办理', from: ['suspended'], to: 'processing', allowed: ['owner', 'supervisor'] },
    // One extension per ticket, asked for before the due date, on the dispatcher's approval.
    {
      action: 'request-extension',
      label: '申请延期',
      from: ['processing'],
      to: 'extension-requested',
      allowed: ['owner'],
      // The date asked for, held to the same 10 working days the approval is.
      requires: ['dueAt', 'comment'],
      proposes: 'dueAt',
      maxExtension: '10wde',
      limit: 1,
      window: { beforeDue: true },
    },
    {
      action: 'approve-extension',
      label: '同意延期',
      from: ['extension-requested'],
      to: 'processing',
      allowed: ['supervisor', 'creator'],
      requires: ['comment'],
      grants: 'dueAt',
      kpi: 'extension',
      maxExtension: '10wde',
    },
    {
      action: 'reject-extension',
      label: '不同意延期',
      from: ['extension-requested'],
      to: 'processing',
      allowed: ['supervisor', 'creator'],
      requires: ['comment'],
    },
    // The supervisor's own extension (督办调整): not a request, not capped by the request's rules.
    { action: 'extend', label: '延期', from: ['processing'], to: 'processing', allowed: ['supervisor'], requires: ['dueAt', 'comment'], kpi: 'extension' },
    // A ticket handed on to sub-units (转办) is answered when their shares are.
    { action: 'close', label: '办结', from: ['processing'], to: 'closed', allowed: ['owner'], requires: ['comment'], waitsForChildren: true },
    // The hotline calls the citizen back (回访); an unsatisfied citizen reopens the ticket (重办).
    {
      action: 'rate',
      label: '回访评价',
      from: ['closed'],
      to: 'closed',
      allowed: ['supervisor', 'creator'],
      requires: ['rating'],
      branches: [{ rating: ['unsatisfied'], to: 'processing' }],
    },
    { action: 'reopen', label: '重办', from: ['closed'], to: 'processing', allowed: ['supervisor', 'creator'], requires: ['comment'] },
  ],
  reminders: [{ before: '1wd', notify: ['owner'], card: 'yellow' }],
  escalations: [
    { level: 1, after: '0m', notify: ['owner', 'supervisor'], card: 'red' },
    { level: 2, after: '2wd', notify: ['supervisor'] },
  ],
  // Urgent tickets: accepted within 30 minutes, answered within one working day.
  urgent: { deadline: '1wd', sla: { dispatched: '30m' } },
};

/** An item of a yearly work plan (工作要点): long-running, monthly progress, reviewed completion. */
export const PLAN_ITEM: WorkflowDefinition = {
  key: 'plan-item',
  name: '工作要点任务',
  calendar: 'cn',
  states: [
    { key: 'assigned', label: '待签收', initial: true, sla: { limit: '3wd', breach: { notify: ['owner', 'supervisor'] } } },
    { key: 'accepted', label: '已签收' },
    { key: 'in-progress', label: '推进中' },
    { key: 'extension-requested', label: '延期审核中' },
    { key: 'review', label: '待审核' },
    { key: 'completed', label: '已完成', terminal: true },
  ],
  transitions: [
    { action: 'accept', label: '签收', from: ['assigned'], to: 'accepted', allowed: ['owner'], kpi: 'acceptance' },
    { action: 'assign', label: '交办经办人', from: ['accepted'], to: 'accepted', allowed: ['owner'], requires: ['assignee'] },
    { action: 'assign', label: '交办经办人', from: ['in-progress'], to: 'in-progress', allowed: ['owner'], requires: ['assignee'] },
    // The first progress report puts an accepted item in progress.
    {
      action: 'report',
      label: '进度填报',
      from: ['accepted', 'in-progress'],
      to: 'in-progress',
      allowed: ['owner', 'co-owner', 'assignee'],
      requires: ['progress'],
    },
    {
      action: 'request-extension',
      label: '申请延期',
      from: ['accepted', 'in-progress'],
      to: 'extension-requested',
      allowed: ['owner'],
      requires: ['dueAt', 'comment'],
      proposes: 'dueAt',
    },
    // Without a dueAt of its own, the approval grants the date asked for.
    {
      action: 'approve-extension',
      label: '同意延期',
      from: ['extension-requested'],
      to: 'in-progress',
      allowed: ['supervisor'],
      requires: ['comment'],
      grants: 'dueAt',
      kpi: 'extension',
    },
    { action: 'reject-extension', label: '不同意延期', from: ['extension-requested'], to: 'in-progress', allowed: ['supervisor'], requires: ['comment'] },
    { action: 'extend', label: '延期', from: ['in-progress'], to: 'in-progress', allowed: ['supervisor'], requires: ['dueAt', 'comment'], kpi: 'extension' },
    // Reported done only when the sub-units' shares (分解) are: the review is of the whole item.
    {
      action: 'submit',
      label: '申请办结',
      from: ['accepted', 'in-progress'],
      to: 'review',
      allowed: ['owner'],
      requires: ['comment'],
      waitsForChildren: true,
    },
    { action: 'approve', label: '审核通过', from: ['review'], to: 'completed', allowed: ['supervisor'] },
    { action: 'send-back', label: '退回', from: ['review'], to: 'in-progress', allowed: ['supervisor'], requires: ['comment'] },
  ],
  reminders: [{ before: '5wd', notify: ['owner'] }],
  escalations: [
    { level: 1, after: '0m', notify: ['owner', 'supervisor'], card: 'yellow' },
    { level: 2, after: '10wd', notify: ['supervisor'], card: 'red' },
  ],
  progress: { every: 'month', day: 25, notify: ['owner'] },
};

/**
 * Reply to a deputy's proposal or suggestion (建议提案办理), commonly due three months after
 * assignment. The co-handling units (会办单位) send their opinions to the lead unit within one
 * month of the assignment, before or after the lead accepts: reminded five working days before,
 * and the lead unit told which are missing when it passes. The reply letter (答复函) names a
 * contact person with a phone, is copied (抄送) to units such as 市政协提案委 and 市政府督查室,
 * and goes as the signed file (seeds 000 and 003).
 */
export const PROPOSAL_REPLY: WorkflowDefinition = {
  key: 'proposal-reply',
  name: '建议提案办理',
  calendar: 'cn',
  deadline: '90d',
  states: [
    { key: 'assigned', label: '已交办', initial: true, sla: { limit: '5wd', breach: { notify: ['owner', 'supervisor'] } } },
    { key: 'handling', label: '办理中' },
    { key: 'replied', label: '已答复' },
    { key: 'closed', label: '已办结', terminal: true },
  ],
  transitions: [
    { action: 'accept', label: '签收', from: ['assigned'], to: 'handling', allowed: ['owner'], kpi: 'acceptance' },
    { action: 'co-opinion', label: '会办意见', from: ['assigned'], to: 'assigned', allowed: ['co-owner'], requires: ['comment'] },
    { action: 'co-opinion', label: '会办意见', from: ['handling'], to: 'handling', allowed: ['co-owner'], requires: ['comment'] },
    { action: 'extend', label: '延期', from: ['handling'], to: 'handling', allowed: ['supervisor'], requires: ['dueAt', 'comment'], kpi: 'extension' },
    // The deputy is answered once every share handed to a sub-unit is done.
    {
      action: 'reply',
      label: '答复代表',
      from: ['handling'],
      to: 'replied',
      allowed: ['owner'],
      requires: ['comment', 'contact', 'cc', 'attachment'],
      waitsForChildren: true,
    },
    { action: 'rate', label: '代表评价', from: ['replied'], to: 'closed', allowed: ['supervisor', 'creator'], requires: ['rating'] },
    { action: 'rehandle', label: '重办', from: ['replied'], to: 'handling', allowed: ['supervisor', 'creator'], requires: ['comment'] },
  ],
  reminders: [{ before: '10wd', notify: ['owner'] }],
  escalations: [{ level: 1, after: '0m', notify: ['owner', 'supervisor'], card: 'yellow' }],
  coOpinions: { action: 'co-opinion', within: '30d', reminders: [{ before: '5wd', notify: ['co-owner'] }], late: { notify: ['owner'] } },
};

export const BUILTIN_WORKFLOWS: readonly WorkflowDefinition[] = [PLAN_ITEM, HOTLINE_TICKET, PROPOSAL_REPLY];
