import { Space, Tag, Typography } from 'antd';
import type { Task } from '../api/types';
import { useNames } from '../hooks/names';
import { CARDS, formatMoment, LIGHTS } from './format';

/** The light as a coloured dot with its word (红/黄/绿), readable without colour. */
export function Light({ light }: { light: Task['light'] }) {
  const { word, color } = LIGHTS[light];
  return (
    <span style={{ whiteSpace: 'nowrap' }} aria-label={`${word}灯`}>
      <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, borderRadius: '50%', background: color, marginRight: 4 }} />
      <span style={{ color }}>{word}</span>
    </span>
  );
}

/** 黄牌 / 红牌, nothing without a card. */
export function CardTag({ card }: { card: Task['card'] }) {
  if (!card) return null;
  return <Tag style={CARDS[card].style}>{CARDS[card].word}</Tag>;
}

/** The state's label (never its key, unless an older api gives no label). */
export function StateTag({ task }: { task: Pick<Task, 'workflow' | 'state' | 'stateLabel' | 'closedAt'> }) {
  const names = useNames();
  return <Tag color={task.closedAt ? 'default' : 'blue'}>{names.state(task)}</Tag>;
}

/** The due date in the task's calendar zone with its year, and the working time left or overdue. */
export function DueDate({ task }: { task: Pick<Task, 'dueAt' | 'timezone' | 'timeLeft' | 'overdue'> }) {
  if (!task.dueAt) return <Typography.Text type="secondary">无期限</Typography.Text>;
  const words = task.timeLeft?.words ?? (task.overdue ? '已逾期' : null);
  return (
    <Space size={4} wrap>
      <span style={{ whiteSpace: 'nowrap' }}>{formatMoment(task.dueAt, task.timezone)}</span>
      {/* The light's red rather than Ant Design's danger red, which is too pale for a 4.5:1 contrast on white. */}
      {words &&
        (task.overdue || task.timeLeft?.overdue ? (
          <Typography.Text style={{ color: LIGHTS.red.color }}>{words}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">{words}</Typography.Text>
        ))}
    </Space>
  );
}
