import { UploadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select, Space, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { errorText } from '../../../api/problem';
import type { Task } from '../../../api/types';
import { useUploadAttachment } from '../../../hooks/tasks';

/** 联系人 and 联系电话 of a reply letter (requires `contact`). */
export function ContactFields() {
  return (
    <Space wrap size={12} align="start">
      <Form.Item label="联系人" name={['contact', 'name']} rules={[{ required: true, whitespace: true, message: '请填写联系人' }]}>
        <Input maxLength={100} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item label="联系电话" name={['contact', 'phone']} rules={[{ required: true, whitespace: true, message: '请填写联系电话' }]}>
        <Input maxLength={40} style={{ width: 200 }} />
      </Form.Item>
    </Space>
  );
}

/** 抄送: the units a reply letter is copied to, typed by name (some are outside the system); requires `cc`. */
export function CcField() {
  return (
    <Form.Item label="抄送单位" name="cc" rules={[{ required: true, type: 'array', min: 1, message: '请填写至少一个抄送单位' }]} extra="输入单位名称后按回车">
      <Select mode="tags" open={false} tokenSeparators={['，', ',', '、']} style={{ maxWidth: 480 }} />
    </Form.Item>
  );
}

/**
 * Files the action carries (requires `attachment`, e.g. the signed reply letter): each is
 * uploaded to the task when chosen, and its id goes with the action.
 */
export function AttachmentField({ task }: { task: Pick<Task, 'id'> }) {
  const form = Form.useFormInstance();
  const upload = useUploadAttachment(task.id);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const sync = (next: UploadFile[]) => {
    setFiles(next);
    form.setFieldValue(
      'attachmentIds',
      next.flatMap((f) => (f.status === 'done' && typeof f.response === 'string' ? [f.response] : [])),
    );
  };
  return (
    <Form.Item label="附件" name="attachmentIds" rules={[{ required: true, type: 'array', min: 1, message: '请上传附件' }]}>
      <Upload
        fileList={files}
        onRemove={(file) => sync(files.filter((f) => f.uid !== file.uid))}
        customRequest={({ file, onSuccess, onError }) => {
          upload.mutate(file as File, {
            onSuccess: (stored) => onSuccess?.(stored.id),
            onError: (err) => onError?.(new Error(errorText(err))),
          });
        }}
        onChange={({ fileList }) => sync(fileList)}
      >
        <Button icon={<UploadOutlined />}>选择文件</Button>
      </Upload>
    </Form.Item>
  );
}
