/** One file may be at most this many bytes (20 MiB): a scanned reply letter or a phone photo fits many times over. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** Files in one upload; together they are held in memory while checked. */
export const MAX_FILES_PER_UPLOAD = 10;
