/** A resume file that cannot be read, and why: the resolver reports it as BAD_USER_INPUT. */
export class FileError extends Error {}
