import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'cadence:isPublic';
/** Opts a route out of API-key authentication (health, docs, signed provider webhooks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
