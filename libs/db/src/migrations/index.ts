import { Init1763892000000 } from './1763892000000-init.js';

/** In order of application; a migration is added here when it is written. */
export const MIGRATIONS = [Init1763892000000];
