import { Alert, Breadcrumb, Card, Col, Descriptions, Empty, Row, Space, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { errorText } from '../../api/problem';
import { TAG_STYLES } from '../../components/format';
import { useCalendars } from '../../hooks/calendars';
import { workingHoursWords, yearsWords } from './calendar-words';

/** `/admin/calendars`: the calendars, each with its zone, working hours, loaded years and the years it lacks that matter now. */
export default function CalendarsPage() {
  const calendars = useCalendars();
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/admin">系统管理</Link> }, { title: '工作日历' }]} />
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        工作日历
      </Typography.Title>
      {calendars.isError && <Alert type="error" showIcon title={errorText(calendars.error)} />}
      {calendars.isPending ? (
        <Spin style={{ display: 'block', margin: 48 }} />
      ) : (calendars.data?.items.length ?? 0) === 0 ? (
        <Empty description="暂无工作日历" />
      ) : (
        <Row gutter={[16, 16]}>
          {calendars.data?.items.map((c) => (
            <Col key={c.key} xs={24} lg={12}>
              <Card size="small" title={<Link to={`/admin/calendars/${encodeURIComponent(c.key)}`}>{c.name}</Link>} style={{ height: '100%' }}>
                <Descriptions
                  size="small"
                  column={1}
                  items={[
                    { key: 'zone', label: '时区', children: c.timezone },
                    { key: 'hours', label: '工作时间', children: workingHoursWords(c.workingHours) },
                    { key: 'years', label: '节假日安排', children: yearsWords(c.years) },
                    {
                      key: 'warnings',
                      label: '提示',
                      children:
                        c.warnings.length === 0 ? (
                          <Tag style={TAG_STYLES.green}>无缺失年度</Tag>
                        ) : (
                          <Space wrap size={4}>
                            {c.warnings.map((w) => (
                              <Tag key={w.year} style={TAG_STYLES.yellow} title={w.message}>
                                缺{w.year}年安排{w.openTasks ? `（${w.openTasks} 项任务）` : ''}
                              </Tag>
                            ))}
                          </Space>
                        ),
                    },
                  ]}
                />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}
