import { UserEntity } from './user.entity.js';

export * from './user.entity.js';

/** Every entity the data source knows; a new entity is registered here and nowhere else. */
export const ENTITIES = [UserEntity];
