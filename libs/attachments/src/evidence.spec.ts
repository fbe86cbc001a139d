import { describe, expect, it } from '@jest/globals';
import { firstBrokenLink, nextLink, type StoredEntry } from '@duban/audit';
import { type AttachmentRow, attachedUpdate, type AuditedFile, evidenceProblems } from './evidence.js';

const TASK = '00000000-0000-4000-8000-000000000001';
const PHOTO: AuditedFile = { id: '00000000-0000-4000-8000-0000000000a1', filename: '现场照片.png', contentType: 'image/png', size: 70, sha256: 'a'.repeat(64) };
const LETTER: AuditedFile = {
  id: '00000000-0000-4000-8000-0000000000a2',
  filename: '答复函.pdf',
  contentType: 'application/pdf',
  size: 900,
  sha256: 'b'.repeat(64),
};
const at = new Date('2025-10-20T01:30:00.000Z');

const created = nextLink(null, {
  taskId: TASK,
  at,
  actorId: null,
  actorRole: 'admin',
  action: 'create',
  fromState: null,
  toState: 'assigned',
  data: {},
  requestId: null,
});
const task = { id: TASK, state: 'assigned', audit_seq: created.seq, audit_hash: created.hash };
const upload = attachedUpdate(task, [PHOTO, LETTER], { id: 'u1', role: 'owner' }, 'req-7', at);
const chain: StoredEntry[] = [created, ...upload.links];

const rowOf = (f: AuditedFile): AttachmentRow => ({
  id: f.id,
  filename: f.filename,
  content_type: f.contentType,
  size: f.size,
  sha256: f.sha256,
  storage_key: f.id,
});
const rows = [rowOf(PHOTO), rowOf(LETTER)];
const digests = new Map([
  [PHOTO.id, PHOTO.sha256],
  [LETTER.id, LETTER.sha256],
]);

describe('attachedUpdate', () => {
  it('appends one attach link naming every file with its digest, the state and version unchanged', () => {
    expect(upload).toMatchObject({ id: TASK, changes: {}, versionBump: 0, events: [], facts: [] });
    expect(upload.links).toHaveLength(1);
    expect(upload.links[0]).toMatchObject({ seq: 2, prevHash: created.hash, action: 'attach', fromState: 'assigned', toState: 'assigned', requestId: 'req-7' });
    expect(upload.links[0]!.data).toEqual({ files: [PHOTO, LETTER] });
    expect(firstBrokenLink(chain)).toBeNull();
  });
});

describe('evidenceProblems', () => {
  it('finds nothing when every file is as its entry recorded it', () => {
    expect(evidenceProblems(chain, rows, digests, 2)).toEqual([]);
  });

  it('names a file whose bytes were changed, at the entry that added it', () => {
    const changed = new Map(digests).set(LETTER.id, 'c'.repeat(64));
    expect(evidenceProblems(chain, rows, changed, 2)).toEqual([{ id: LETTER.id, filename: LETTER.filename, seq: 2, problem: 'altered' }]);
  });

  it('names a file whose row was renamed or re-digested to match other bytes', () => {
    expect(evidenceProblems(chain, [rowOf(PHOTO), { ...rowOf(LETTER), filename: '答复函（修改）.pdf' }], digests, 2)).toMatchObject([
      { id: LETTER.id, problem: 'altered' },
    ]);
    const swapped = new Map(digests).set(LETTER.id, 'd'.repeat(64));
    expect(evidenceProblems(chain, [rowOf(PHOTO), { ...rowOf(LETTER), sha256: 'd'.repeat(64) }], swapped, 2)).toMatchObject([
      { id: LETTER.id, problem: 'altered' },
    ]);
  });

  it('names a file whose row or bytes are gone', () => {
    expect(evidenceProblems(chain, [rowOf(LETTER)], digests, 2)).toEqual([{ id: PHOTO.id, filename: PHOTO.filename, seq: 2, problem: 'missing' }]);
    expect(evidenceProblems(chain, rows, new Map([[PHOTO.id, PHOTO.sha256]]), 2)).toMatchObject([{ id: LETTER.id, problem: 'missing' }]);
  });

  it('names a row no entry adds, after the head', () => {
    const forged = { ...rowOf(PHOTO), id: '00000000-0000-4000-8000-0000000000ff', filename: '补充材料.pdf' };
    expect(evidenceProblems(chain, [...rows, forged], digests, 5)).toEqual([{ id: forged.id, filename: '补充材料.pdf', seq: 6, problem: 'unaudited' }]);
  });
});
