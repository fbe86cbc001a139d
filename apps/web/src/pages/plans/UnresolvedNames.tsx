import { Alert, App, Button, Card, Flex, Select, Typography } from 'antd';
import { useState } from 'react';
import { errorText } from '../../api/problem';
import { TAG_STYLES } from '../../components/format';
import { useDepartments } from '../../hooks/org';
import { type PlanPreview, useSaveAlias } from '../../hooks/plans';

/**
 * The unit names of a preview that match no department: for each, the admin chooses its
 * department, and the name is saved as that department's alias (so this and every later import
 * knows it); the preview then reads again.
 */
export function UnresolvedNames({ preview }: { preview: PlanPreview }) {
  if (preview.unresolvedIn.length === 0) return null;
  return (
    <Card size="small" title={`未识别的单位名称（${preview.unresolvedIn.length} 个）`} data-testid="unresolved-names">
      <Typography.Paragraph>请为每个名称选择它对应的单位，保存后该名称成为这个单位的别名，今后导入也能识别。</Typography.Paragraph>
      <Flex vertical gap={12}>
        {preview.unresolvedIn.map((u) => (
          <UnresolvedName key={u.name} name={u.name} items={u.items} />
        ))}
      </Flex>
    </Card>
  );
}

function UnresolvedName({ name, items }: { name: string; items: string[] }) {
  const { message } = App.useApp();
  const departments = useDepartments();
  const save = useSaveAlias();
  const [departmentId, setDepartmentId] = useState<string>();
  const options = (departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }));
  const chosen = options.find((o) => o.value === departmentId)?.label;
  const onSave = () => {
    if (!departmentId) return;
    save.mutate({ departmentId, alias: name }, { onSuccess: () => void message.success(`已将“${name}”保存为“${chosen}”的别名`) });
  };
  return (
    <Flex wrap gap={8} align="center" data-testid="unresolved-name">
      <span style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        <Typography.Text strong style={{ color: TAG_STYLES.red.color }}>
          {name}
        </Typography.Text>{' '}
        <Typography.Text type="secondary">（事项{items.join('、')}）</Typography.Text>
      </span>
      <Select
        aria-label={`“${name}”对应的单位`}
        placeholder="选择对应的单位"
        showSearch={{ optionFilterProp: 'label' }}
        options={options}
        loading={departments.isPending}
        value={departmentId}
        onChange={setDepartmentId}
        style={{ width: 240, maxWidth: '100%' }}
      />
      <Button type="primary" disabled={!departmentId} loading={save.isPending} onClick={onSave}>
        保存为别名
      </Button>
      {save.isError && <Alert type="error" showIcon title={errorText(save.error)} style={{ width: '100%' }} />}
    </Flex>
  );
}
