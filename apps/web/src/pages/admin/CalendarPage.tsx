import { LeftOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, Card, Col, Flex, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { errorText } from '../../api/problem';
import { TAG_STYLES } from '../../components/format';
import { useCalendar, useSetDay } from '../../hooks/calendars';
import { type DayKind, dayWords, LOOKS, namedRuns, toggled, WEEKDAYS, type YearDay, yearMonths } from './calendar-year';
import { ImportYearModal } from './ImportYearModal';
import { workingHoursWords, yearsWords } from './calendar-words';

const thisYear = () => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

/**
 * `/admin/calendars/:key`: a year of the calendar, twelve months with each day off and make-up
 * workday coloured and named; a click on a day toggles it, a holiday file loads a year after a
 * preview of its changes; the api's warnings (a year it lacks that matters now) on top.
 */
export default function CalendarPage() {
  const { key = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const year = Number(search.get('year')) || thisYear();
  const setYear = (y: number) => setSearch({ year: String(y) }, { replace: true });
  const calendar = useCalendar(key, year);
  const [importing, setImporting] = useState(false);

  if (calendar.isPending) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (calendar.isError) return <Result status="warning" title="无法打开工作日历" subTitle={errorText(calendar.error)} />;
  const c = calendar.data;
  const loaded = c.years.includes(year);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/admin">系统管理</Link> }, { title: <Link to="/admin/calendars">工作日历</Link> }, { title: c.name }]} />
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        {c.name}
      </Typography.Title>
      <Typography.Text type="secondary">
        时区 {c.timezone} · 工作时间 {workingHoursWords(c.workingHours)} · 已有节假日安排：{yearsWords(c.years)}
      </Typography.Text>
      {c.warnings.map((w) => (
        <Alert key={`${w.code}-${w.year}`} type="warning" showIcon title={w.message} />
      ))}
      <Flex wrap gap={12} align="center" justify="space-between">
        <Space wrap>
          <Button aria-label="上一年" icon={<LeftOutlined />} onClick={() => setYear(year - 1)} />
          <Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>
            {year}年
          </Typography.Title>
          <Button aria-label="下一年" icon={<RightOutlined />} onClick={() => setYear(year + 1)} />
          {loaded ? <Tag style={TAG_STYLES.green}>已导入{year}年节假日安排</Tag> : <Tag style={TAG_STYLES.yellow}>尚无{year}年节假日安排</Tag>}
        </Space>
        <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)}>
          导入节假日安排
        </Button>
      </Flex>
      <Legend />
      <YearGrid calendarKey={key} year={year} days={c.days} />
      {importing && (
        <ImportYearModal
          calendarKey={key}
          defaultYear={year}
          onClose={(saved) => {
            setImporting(false);
            if (saved !== undefined) setYear(saved);
          }}
        />
      )}
    </Space>
  );
}

function Legend() {
  return (
    <Space wrap size={[16, 8]}>
      {(['holiday', 'makeup', 'weekend', 'weekday'] as const).map((look) => (
        <Space key={look} size={4}>
          <span style={{ ...cellColours(look), display: 'inline-block', minWidth: 22, textAlign: 'center', borderRadius: 4 }}>
            {LOOKS[look].mark || '\u00a0'}
          </span>
          <span>{LOOKS[look].word}</span>
        </Space>
      ))}
      <Typography.Text type="secondary">点击日期可切换（确认后生效）：工作日设为放假，周末设为调休上班，已设置的日期恢复原状。</Typography.Text>
    </Space>
  );
}

const cellColours = (look: YearDay['look']) => ({ color: LOOKS[look].color, background: LOOKS[look].background, border: `1px solid ${LOOKS[look].border}` });

function YearGrid({
  calendarKey,
  year,
  days,
}: {
  calendarKey: string;
  year: number;
  days: { date: string; kind: 'holiday' | 'workday'; note: string | null }[];
}) {
  const { message, modal } = App.useApp();
  const setDay = useSetDay(calendarKey);
  // The live calendar moves every deadline counted by it: a click asks first, naming the day and the change.
  const toggle = (day: YearDay) => {
    const kind = toggled(day);
    const { title, content } = changeWords(day, kind);
    modal.confirm({
      title,
      content,
      okText: '确定',
      cancelText: '取消',
      onOk: () =>
        setDay.mutateAsync({ date: day.date, kind }).then(
          () => void message.success(`${dayWords(day)}${kind === null ? '已恢复原状' : `已设为${kind === 'holiday' ? '放假' : '调休上班'}`}`),
          (err: unknown) => void message.error(errorText(err)),
        ),
    });
  };
  return (
    <Row gutter={[12, 12]}>
      {yearMonths(year, days).map((weeks, m) => (
        <Col key={m} xs={24} sm={12} lg={8} xxl={6}>
          <Card size="small" title={`${year}年${m + 1}月`} styles={{ body: { padding: 8 } }}>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2 }}>
              {WEEKDAYS.map((w) => (
                <div key={w} aria-hidden style={{ textAlign: 'center', fontSize: 12, color: '#595959' }}>
                  {w}
                </div>
              ))}
              {weeks
                .flat()
                .map((day, i) => (day ? <DayButton key={day.date} day={day} busy={setDay.isPending} onClick={() => toggle(day)} /> : <div key={i} />))}
            </div>
            <NamedDays weeks={weeks} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** The question before a day changes: what it becomes, and for a set day what its reset removes. */
function changeWords(day: YearDay, kind: DayKind | null): { title: string; content: string } {
  const counted = '按此日历计算的任务期限将随之变化。';
  if (kind !== null) return { title: `将${dayWords(day)}设为${LOOKS[kind === 'holiday' ? 'holiday' : 'makeup'].word}？`, content: counted };
  const setting = `${LOOKS[day.look].word}${day.note ? `（${day.note}）` : ''}`;
  return { title: `将${dayWords(day)}恢复为${day.weekday >= 5 ? '周末' : '工作日'}？`, content: `将删除此日的设置：${setting}。${counted}` };
}

function DayButton({ day, busy, onClick }: { day: YearDay; busy: boolean; onClick: () => void }) {
  const look = LOOKS[day.look];
  const label = `${dayWords(day)} ${look.word}${day.note ? `：${day.note}` : ''}`;
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      data-date={day.date}
      data-look={day.look}
      disabled={busy}
      onClick={onClick}
      style={{
        ...cellColours(day.look),
        width: '100%',
        minHeight: 38,
        padding: 0,
        borderRadius: 4,
        cursor: busy ? 'wait' : 'pointer',
        lineHeight: 1.1,
        fontWeight: day.set ? 600 : 400,
      }}
    >
      <span style={{ display: 'block', fontSize: 13 }}>{day.day}</span>
      <span style={{ display: 'block', fontSize: 10, minHeight: 11 }}>{look.mark}</span>
    </button>
  );
}

/** The month's named days under its grid, so that each colour also has its words and name. */
function NamedDays({ weeks }: { weeks: (YearDay | null)[][] }) {
  const runs = namedRuns(weeks);
  if (runs.length === 0) return null;
  return (
    <ul style={{ listStyle: 'none', margin: '8px 0 0', padding: 0, fontSize: 13 }}>
      {runs.map(({ from, to }) => {
        const [, m] = from.date.split('-').map(Number);
        const span = from === to ? `${m}月${from.day}日` : `${m}月${from.day}日–${to.day}日`;
        return (
          <li key={from.date} style={{ marginTop: 4 }}>
            <Tag style={{ ...cellColours(from.look), marginInlineEnd: 6 }}>{LOOKS[from.look].word}</Tag>
            {span} {from.note ?? ''}
          </li>
        );
      })}
    </ul>
  );
}
