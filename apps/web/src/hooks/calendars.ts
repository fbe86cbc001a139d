import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components, operations } from '../api/schema';

type Schemas = components['schemas'];

/** GET /calendars/:key: working hours, the loaded years, the warnings, and a year's exception days. */
export type CalendarDetail = Schemas['CalendarDetailDto'];
export type CalendarSummary = Schemas['CalendarSummaryDto'];
export type CalendarDay = Schemas['CalendarDayDto'];
export type CalendarWarning = Schemas['CalendarWarningDto'];
/** What loading a year's schedule changes (or, dry run, would change). */
export type YearLoadResult = Schemas['YearLoadResultDto'];

/** The JSON bodies PUT /calendars/:key/years/:year takes. */
type YearBody = operations['CalendarsController_loadYear']['requestBody']['content']['application/json'];

/** A holiday file as the page read it: an .ics text, or the JSON the api takes (a list of days or holiday-cn). */
export type HolidayFile = { type: 'ics'; text: string } | { type: 'json'; body: YearBody };

export function useCalendars() {
  return useQuery({
    queryKey: ['calendars', 'list'],
    queryFn: () => unwrap(api.GET('/api/v1/calendars', { params: { query: { limit: 100 } } })),
  });
}

/** A calendar with the exception days of `year`. */
export function useCalendar(key: string, year: number) {
  return useQuery({
    queryKey: ['calendars', 'detail', key, year],
    queryFn: () => unwrap(api.GET('/api/v1/calendars/{key}', { params: { path: { key }, query: { year } } })),
  });
}

/** Sets a day as a holiday or a (make-up) workday, or (kind null) removes its setting. */
export function useSetDay(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ date, kind }: { date: string; kind: CalendarDay['kind'] | null }) => {
      const path = { key, date };
      if (kind === null) await unwrap(api.DELETE('/api/v1/calendars/{key}/days/{date}', { params: { path } }));
      else await unwrap(api.PUT('/api/v1/calendars/{key}/days/{date}', { params: { path }, body: { kind } }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['calendars'] }),
  });
}

/** PUT /calendars/:key/years/:year with the file as it came: `dryRun` answers the preview and saves nothing. */
function loadYear(key: string, year: number, file: HolidayFile, dryRun: boolean): Promise<YearLoadResult> {
  const params = { path: { key, year }, query: { dryRun } };
  if (file.type === 'json') return unwrap(api.PUT('/api/v1/calendars/{key}/years/{year}', { params, body: file.body }));
  return unwrap(
    api.PUT('/api/v1/calendars/{key}/years/{year}', {
      params,
      body: file.text,
      headers: { 'Content-Type': 'text/calendar' },
      bodySerializer: (body) => (typeof body === 'string' ? body : JSON.stringify(body)),
    }),
  );
}

/**
 * The dry run of loading `file` into `year`, keyed on both: the answer shown is always the one for
 * the year and file chosen now, never an older request's arriving late. `file.id` tells choices apart.
 */
export function useYearLoadPreview(key: string, year: number | null, file: { id: number; content: HolidayFile } | null) {
  return useQuery({
    queryKey: ['calendar-preview', key, year, file?.id],
    queryFn: () => loadYear(key, year!, file!.content, true),
    enabled: year !== null && file !== null,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
}

export function useLoadYear(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ year, file }: { year: number; file: HolidayFile }) => loadYear(key, year, file, false),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['calendars'] }),
  });
}
