/** The db layer's public surface: databases, repositories, storage checks. */
export * from './databases.js';
export type * from './rows.js';
export * from './digest.js';
export * from './storage.js';
export * from './repos/meta.repo.js';
export * from './repos/session.repo.js';
export * from './repos/sync-state.repo.js';
export * from './repos/tasks.repo.js';
export * from './repos/drafts.repo.js';
export * from './repos/results.repo.js';
export * from './repos/outbox.repo.js';
export * from './repos/audit.repo.js';
export * from './repos/enterprises.repo.js';
export * from './repos/reference.repo.js';
export * from './repos/quarantine.repo.js';
export * from './repos/docnumbers.repo.js';
export * from './evidence-rows.js';
export * from './repos/attachments.repo.js';
