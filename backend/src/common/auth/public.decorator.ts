import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

export const IS_PUBLIC = 'cadence:isPublic';
/**
 * Opts a route out of API-key authentication (health, docs, signed provider webhooks). The OpenAPI document says
 * so too: an empty security requirement overrides the document-wide bearer one.
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));
