import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ApiError, type Problem } from '../api/problem';
import type { components } from '../api/schema';

type Schemas = components['schemas'];

/** The bureaus' KPIs of a period (API.md "Reports"); rates are fractions 0–1, null when nothing was counted. */
export type Kpis = Schemas['KpisDto'];

/** One department's KPIs and its rank (1 best). */
export type DepartmentKpis = Schemas['DepartmentKpisDto'];

export type KpiReport = Schemas['KpiReportDto'];

/** A period as the api takes it: local dates (Asia/Shanghai) `YYYY-MM-DD`, both days included. */
export interface Period {
  from: string;
  to: string;
}

/** GET /reports/kpis for the period, ranked (rank 1 best). */
export function useKpis(period: Period) {
  return useQuery({
    queryKey: ['reports', 'kpis', period],
    queryFn: () => unwrap(api.GET('/api/v1/reports/kpis', { params: { query: period } })),
    placeholderData: keepPreviousData,
  });
}

/** One Asia/Shanghai month of GET /reports/trend: closed, 按时办结率, 满意率 (as the KPIs) and overdueOpen at its end (the current month: now). */
export type TrendMonth = Schemas['TrendMonthDto'];

/** The last twelve months, the current one last, over the departments the user may read. */
export function useTrend() {
  return useQuery({
    queryKey: ['reports', 'trend'],
    queryFn: () => unwrap(api.GET('/api/v1/reports/trend', { params: { query: { months: 12 } } })),
  });
}

/** A stored monthly bulletin (GET /reports/bulletins), newest period first. */
export type StoredBulletin = Schemas['StoredBulletinDto'];

export function useStoredBulletins() {
  return useQuery({
    queryKey: ['reports', 'bulletins'],
    queryFn: () => unwrap(api.GET('/api/v1/reports/bulletins')),
  });
}

/** The file name a Content-Disposition gives (`filename*=UTF-8''…` first), else `fallback`. */
function fileNameOf(disposition: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (encoded) return decodeURIComponent(encoded);
  return /filename="?([^";]+)"?/i.exec(disposition ?? '')?.[1] ?? fallback;
}

/** Saves a response's file under the name its Content-Disposition gives (else `fallback`); a problem is thrown as ApiError. */
async function saveFile(response: Response, fallback: string): Promise<void> {
  if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => null)) as Problem | null);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition'), fallback);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Saves the 通报 of the period as XLSX (GET /reports/bulletin?format=xlsx). A plain link would not
 * carry the bearer header, so the file is read as a blob and saved from it.
 */
export async function downloadBulletin(period: Period): Promise<void> {
  const { response } = await api.GET('/api/v1/reports/bulletin', {
    params: { query: { ...period, format: 'xlsx' } },
    parseAs: 'stream',
  });
  await saveFile(response, `通报_${period.from}_${period.to}.xlsx`);
}

/** Saves a stored monthly bulletin as it was published (GET /reports/bulletins/:id?format=xlsx). */
export async function downloadStoredBulletin(bulletin: StoredBulletin): Promise<void> {
  const { response } = await api.GET('/api/v1/reports/bulletins/{id}', {
    params: { path: { id: bulletin.id }, query: { format: 'xlsx' } },
    parseAs: 'stream',
  });
  await saveFile(response, `${bulletin.title}.xlsx`);
}
