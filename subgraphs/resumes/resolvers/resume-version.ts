import type { ResumeVersion as ResumeVersionRecord } from '../store.ts';

export const ResumeVersion = {
  author: (version: ResumeVersionRecord) => (version.authorId ? { id: version.authorId } : null),
};
