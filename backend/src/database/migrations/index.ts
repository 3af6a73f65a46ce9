import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795225261558 } from './1795225261558-initial-schema';

// Kept in order; `npm run migration:generate -w backend -- <name>` appends new ones.
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  InitialSchema1795225261558,
];
