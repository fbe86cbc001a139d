import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'duban:public';

/** Marks a route that answers without a bearer token (login, health, docs, metrics). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
