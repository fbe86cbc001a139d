import { signedOut } from './client';
import { ApiError, type Problem } from './problem';
import { getToken } from './session';
import type { Attachment } from './types';

/**
 * The most bytes one file may have: the api's fixed limit (libs/attachments MAX_ATTACHMENT_BYTES,
 * not configurable; the OpenAPI states it on the upload's 413 attachment-too-large), 20 MiB.
 */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * POST /tasks/:id/attachments with one file (multipart field `file`), reporting the bytes sent as
 * they go. The generated client is fetch-based and fetch cannot tell upload progress, so this one
 * call is an XMLHttpRequest, with the client's bearer token and its 401 handling; an error answer
 * is the same ApiError with the problem. Aborting (the signal) rejects with an AbortError.
 */
export function uploadAttachment(taskId: string, file: File, onProgress: (percent: number) => void, signal?: AbortSignal): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${window.location.origin}/api/v1/tasks/${encodeURIComponent(taskId)}/attachments`);
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(99, Math.floor((e.loaded / e.total) * 100)));
    };
    xhr.onload = () => {
      const body = xhr.response as { items?: Attachment[] } | Problem | null;
      if (xhr.status >= 200 && xhr.status < 300 && body && 'items' in body && body.items?.[0]) {
        onProgress(100);
        resolve(body.items[0]);
        return;
      }
      if (xhr.status === 401) signedOut();
      reject(new ApiError(xhr.status, (body as Problem | null) ?? null));
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.onabort = () => reject(new DOMException('上传已取消', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}
