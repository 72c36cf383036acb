import { randomUUID } from 'node:crypto';
import { MongoClient, MongoServerError, type ClientSession, type Collection, type Db as MongoDb, type Filter } from 'mongodb';
import type { SnapshotEntry } from '../../platform/events/index.ts';
import type { Page } from '../../platform/pagination.ts';
import { toDocument } from './document.ts';
import { LIVE, MongoOutbox, pendingEvent, recording, type Evented } from './outbox.mongo.ts';
import {
  UserAlreadyLinkedError,
  type ImportedResume,
  type Resume,
  type ResumeDocument,
  type ResumeStore,
  type ResumeVersion,
  type ResumeVersionKey,
  type Talent,
  type TalentFields,
  type TalentFilter,
  type TalentOrder,
  type TalentStore,
} from './store.ts';

/**
 * Talents and resumes as MongoDB documents (MONGODB_URL): a talent per document, and a resume per
 * document holding its current version and, in `history`, every version saved (a resume's
 * history is read whole and is small: a thousand versions stay far below the 16 MB limit).
 * Every write is one atomic update of one document, carrying its event (outbox.mongo.ts), and
 * is applied only if the document is still at the revision read (optimistic concurrency), so
 * concurrent updates queue up as they do under PostgreSQL's row locks. Deleting a talent takes
 * several writes (each resume, then the talent): inside a transaction where the server offers
 * them (a replica set), otherwise step by step, each step safe to repeat; a deletion cut short
 * is completed when the store next opens. Creating a resume and deleting its talent meet on the
 * talent's document, so the talent's `talent.deleted` is the last event of it and its resumes
 * (MongoResumeStore.create, MongoTalentStore.finishDeletion).
 */

interface TalentDoc extends Evented {
  name: string;
  /** The name lower-cased: what NAME ordering sorts on, as PostgreSQL orders by lower(name). */
  nameKey: string;
  headline: string | null;
  contact: Talent['contact'];
  salaryExpectation: Talent['salaryExpectation'];
  location: Talent['location'];
  /** The location's country lower-cased, for the country filter. */
  countryKey: string | null;
  tags: string[];
  ownerId: string | null;
  /** Absent rather than null, so the unique index (sparse) allows any number of talents without an account. */
  userId?: string;
  createdAt: Date;
  updatedAt: Date;
  /** When its deletion began (state `deleting`). */
  deletingSince?: number;
  /** Bumped by each resume's creation: a write conditional on the talent being live, so it is ordered with the deletion's mark. */
  resumeClaims?: number;
}

interface VersionDoc {
  version: number;
  document: ResumeDocument;
  authorId: string | null;
  createdAt: Date;
}

interface ResumeDoc extends Evented {
  talentId: string;
  version: number;
  document: ResumeDocument;
  history: VersionDoc[];
  createdAt: Date;
  updatedAt: Date;
  /** When it was saved hidden (state `creating`), before its talent was claimed. */
  creatingSince?: number;
}

/** A write that met a newer revision than it read is tried again, this many times at most. */
const MAX_ATTEMPTS = 20;
/** A deletion left in `deleting`, or a resume left in `creating`, this long was cut short (a crash): opening the store completes or discards it. */
const INTERRUPTED_AFTER_MS = 60_000;
const ORDER_FIELDS = { NAME: 'nameKey', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' } as const;

const toTalent = (doc: TalentDoc): Talent => ({
  id: doc._id,
  name: doc.name,
  headline: doc.headline ?? null,
  contact: { email: doc.contact?.email ?? null, phone: doc.contact?.phone ?? null, linkedin: doc.contact?.linkedin ?? null, website: doc.contact?.website ?? null },
  salaryExpectation: doc.salaryExpectation ?? null,
  location: doc.location ?? null,
  tags: doc.tags ?? [],
  ownerId: doc.ownerId ?? null,
  userId: doc.userId ?? null,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

const toResume = (doc: ResumeDoc): Resume => ({
  id: doc._id,
  talentId: doc.talentId,
  version: doc.version,
  ...toDocument(doc.document),
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

const toVersion = (resumeId: string, entry: VersionDoc): ResumeVersion => ({
  resumeId,
  version: entry.version,
  authorId: entry.authorId ?? null,
  ...toDocument(entry.document),
  createdAt: entry.createdAt,
});

/** The stored fields of a talent, derived keys included. */
function talentFields(fields: TalentFields): Omit<TalentDoc, keyof Evented | 'createdAt' | 'updatedAt'> {
  const { userId, ...rest } = fields;
  return {
    ...rest,
    contact: { email: fields.contact.email ?? null, phone: fields.contact.phone ?? null, linkedin: fields.contact.linkedin ?? null, website: fields.contact.website ?? null },
    nameKey: fields.name.toLowerCase(),
    countryKey: fields.location?.country?.toLowerCase() ?? null,
    ...(userId ? { userId } : {}),
  };
}

/** A regular expression matching `text` literally. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Turns the unique index on userId into the domain error. */
async function linkingUser<T>(userId: string | null | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 11000 && /userId/.test(error.message)) throw new UserAlreadyLinkedError(userId ?? null);
    throw error;
  }
}

/** Both stores and their outbox on one MongoDB database. */
export class MongoStores {
  readonly talents: MongoTalentStore;
  readonly resumes: MongoResumeStore;
  readonly outbox: MongoOutbox;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: MongoDb,
    /** Whether the server runs transactions (a replica set or a sharded cluster; not a standalone server). */
    readonly transactions: boolean,
  ) {
    const talents = db.collection<TalentDoc>('talents');
    const resumes = db.collection<ResumeDoc>('resumes');
    const run = <T>(work: (session?: ClientSession) => Promise<T>) => this.run(work);
    this.resumes = new MongoResumeStore(resumes, talents, run);
    this.talents = new MongoTalentStore(talents, resumes, run);
    this.outbox = new MongoOutbox('resumes', [
      { aggregate: 'Talent', collection: talents as unknown as Collection<Evented> },
      { aggregate: 'Resume', collection: resumes as unknown as Collection<Evented> },
    ]);
  }

  /** Connects, creates the indexes (idempotent), completes any deletion and discards any resume creation a crash cut short. */
  static async open(url: string): Promise<MongoStores> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    try {
      const db = client.db(/^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url)?.[1] ?? 'looma');
      // isMaster rather than hello: MongoDB-compatible servers without hello answer it too.
      const topology = await db.admin().command({ isMaster: 1 });
      const transactions = Boolean((topology.setName || topology.msg === 'isdbgrid') && topology.logicalSessionTimeoutMinutes);
      const stores = new MongoStores(client, db, transactions);
      await stores.createIndexes();
      await stores.talents.completeDeletions(INTERRUPTED_AFTER_MS);
      await stores.resumes.discardAbandoned(INTERRUPTED_AFTER_MS);
      return stores;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  async ping(): Promise<boolean> {
    const reply = await this.client.db('admin').command({ ping: 1 });
    return reply.ok === 1;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** Drops the database (tests). */
  async drop(): Promise<void> {
    await this.db.dropDatabase();
  }

  private async run<T>(work: (session?: ClientSession) => Promise<T>): Promise<T> {
    if (!this.transactions) return work();
    return this.client.withSession((session) => session.withTransaction(() => work(session)));
  }

  private async createIndexes(): Promise<void> {
    await this.db.collection('talents').createIndexes([
      { key: { userId: 1 }, name: 'userId_unique', unique: true, sparse: true },
      { key: { nameKey: 1, _id: 1 }, name: 'name' },
      { key: { createdAt: 1, _id: 1 }, name: 'createdAt' },
      { key: { updatedAt: 1, _id: 1 }, name: 'updatedAt' },
      { key: { ownerId: 1 }, name: 'ownerId' },
      { key: { tags: 1 }, name: 'tags' },
      { key: { countryKey: 1 }, name: 'country' },
      { key: { pendingSince: 1 }, name: 'pending', sparse: true },
    ]);
    await this.db.collection('resumes').createIndexes([
      { key: { talentId: 1, createdAt: -1 }, name: 'talent' },
      { key: { 'document.skills.skillId': 1 }, name: 'skills' },
      { key: { pendingSince: 1 }, name: 'pending', sparse: true },
      { key: { creatingSince: 1 }, name: 'creating', sparse: true },
    ]);
  }
}

type Run = <T>(work: (session?: ClientSession) => Promise<T>) => Promise<T>;

export class MongoTalentStore implements TalentStore {
  constructor(
    private readonly talents: Collection<TalentDoc>,
    private readonly resumes: Collection<ResumeDoc>,
    private readonly run: Run,
  ) {}

  async create(fields: TalentFields, id: string = randomUUID()): Promise<Talent> {
    const now = new Date();
    const stored = { ...talentFields(fields), createdAt: now, updatedAt: now };
    const talent = toTalent({ _id: id, rev: 1, ...stored });
    const event = pendingEvent('talent.created', 1, talent);
    await linkingUser(fields.userId, () => this.talents.insertOne({ _id: id, ...stored, rev: 1, outbox: [event], pendingSince: event.order }));
    return talent;
  }

  async update(id: string, fields: Partial<TalentFields>): Promise<Talent | null> {
    return linkingUser(fields.userId, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = await this.talents.findOne({ _id: id, ...LIVE });
        if (!current) return null;
        const before = toTalent(current);
        const merged: TalentFields = {
          name: fields.name ?? before.name,
          headline: 'headline' in fields ? (fields.headline ?? null) : before.headline,
          contact: fields.contact ?? before.contact,
          salaryExpectation: 'salaryExpectation' in fields ? (fields.salaryExpectation ?? null) : before.salaryExpectation,
          location: 'location' in fields ? (fields.location ?? null) : before.location,
          tags: fields.tags ?? before.tags,
          ownerId: 'ownerId' in fields ? (fields.ownerId ?? null) : before.ownerId,
          userId: 'userId' in fields ? (fields.userId ?? null) : before.userId,
        };
        const updatedAt = new Date();
        const talent: Talent = { ...merged, id, createdAt: before.createdAt, updatedAt };
        const event = pendingEvent('talent.updated', current.rev + 1, talent);
        const stored = talentFields(merged);
        const written = await this.talents.updateOne(
          { _id: id, rev: current.rev, ...LIVE },
          recording(event, { set: { ...stored, updatedAt }, unset: merged.userId ? {} : { userId: '' } }),
        );
        if (written.matchedCount) return talent;
      }
      throw new Error(`Talent ${id} changed ${MAX_ATTEMPTS} times while being updated`);
    });
  }

  /** Each resume is deleted first, with its own event, then the talent: consumers unlink children before the parent goes. */
  async delete(id: string): Promise<boolean> {
    return this.run(async (session) => {
      // Hides the talent and stops new resumes (their creation claims a live talent), or takes over a deletion cut short.
      const marked = await this.talents.findOneAndUpdate(
        { _id: id, state: { $ne: 'deleted' } },
        { $set: { state: 'deleting', deletingSince: Date.now() } },
        { session, returnDocument: 'after' },
      );
      if (!marked) return false;
      await this.finishDeletion(marked, session);
      return true;
    });
  }

  /** Completes deletions left in `deleting` for longer than `olderThanMs` (a crash between their steps). */
  async completeDeletions(olderThanMs: number): Promise<void> {
    const stale = await this.talents.find({ state: 'deleting', deletingSince: { $lt: Date.now() - olderThanMs } }).toArray();
    for (const talent of stale) await this.run((session) => this.finishDeletion(talent, session));
  }

  /**
   * Deletes the talent's resumes, then records its `talent.deleted`, which nothing of the talent or its resumes
   * follows. A resume is shown only after its creation claimed the talent while live, i.e. before the mark, and was
   * saved hidden before that: so the first pass meets every resume that is or may become live, and its resume either
   * is discarded unseen or goes with a `resume.deleted`. Later passes make sure no live resume is left.
   */
  private async finishDeletion(talent: TalentDoc, session?: ClientSession): Promise<void> {
    for (let pass = 1; await deleteResumesOf(this.resumes, talent._id, session); pass++) {
      if (pass === MAX_ATTEMPTS) throw new Error(`Talent ${talent._id} still had resumes after ${MAX_ATTEMPTS} passes of its deletion`);
    }
    const event = pendingEvent('talent.deleted', talent.rev + 1, { id: talent._id, ownerId: talent.ownerId ?? null, userId: talent.userId ?? null });
    await this.talents.updateOne({ _id: talent._id, state: 'deleting' }, recording(event, { set: { state: 'deleted' }, unset: { deletingSince: '' } }), { session });
  }

  async getMany(ids: readonly string[]): Promise<Talent[]> {
    return (await this.talents.find({ _id: { $in: [...ids] }, ...LIVE }).toArray()).map(toTalent);
  }

  async getManyByUser(userIds: readonly string[]): Promise<Talent[]> {
    return (await this.talents.find({ userId: { $in: [...userIds] }, ...LIVE }).toArray()).map(toTalent);
  }

  async list(filter: TalentFilter, order: TalentOrder, page: Page) {
    const query: Filter<TalentDoc> = { ...LIVE };
    if (filter.search) {
      const pattern = new RegExp(literally(filter.search), 'i');
      query.$or = [{ name: pattern }, { headline: pattern }];
    }
    if (filter.tags?.length) query.tags = { $all: filter.tags };
    if (filter.ownerId) query.ownerId = filter.ownerId;
    if (filter.country) query.countryKey = filter.country.toLowerCase();
    if (filter.skillId) {
      const holders = await this.resumes.distinct('talentId', { 'document.skills.skillId': filter.skillId, ...LIVE });
      query._id = { $in: holders };
    }
    const direction = order.direction === 'DESC' ? -1 : 1;
    const [rows, totalCount] = await Promise.all([
      page.limit === 0
        ? Promise.resolve([])
        : this.talents.find(query).sort({ [ORDER_FIELDS[order.field]]: direction, _id: 1 }).skip(page.offset).limit(page.limit).toArray(),
      this.talents.countDocuments(query),
    ]);
    return { rows: rows.map(toTalent), totalCount };
  }

  async importMany(talents: readonly (TalentFields & { id: string })[]): Promise<void> {
    if (!talents.length) return;
    await this.run(async (session) => {
      const now = new Date();
      await this.talents.insertMany(
        talents.map(({ id, ...fields }) => ({ _id: id, ...talentFields(fields), createdAt: now, updatedAt: now, rev: 0 })),
        { session },
      );
    });
  }

  count(): Promise<number> {
    return this.talents.countDocuments(LIVE);
  }

  async snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]> {
    const documents = await this.talents.find({ ...(afterId ? { _id: { $gt: afterId } } : {}), ...LIVE }).sort({ _id: 1 }).limit(limit).toArray();
    return documents.map((document) => ({ id: document._id, payload: { ...toTalent(document) } }));
  }
}

/**
 * Marks each live resume of the talent deleted, with its event, oldest first, and discards each one still being
 * created (no event was recorded for it; its creator then answers null). How many live resumes it deleted.
 */
async function deleteResumesOf(resumes: Collection<ResumeDoc>, talentId: string, session?: ClientSession): Promise<number> {
  const found = await resumes.find({ talentId, state: { $ne: 'deleted' } }, { session, projection: { _id: 1, state: 1 } }).sort({ createdAt: 1, _id: 1 }).toArray();
  let deleted = 0;
  for (const { _id, state } of found) {
    // Discarding fails only when its creator showed it first: then it is live and goes like the others.
    if (state === 'creating' && (await resumes.deleteOne({ _id, state: 'creating' }, { session })).deletedCount) continue;
    if (await deleteResume(resumes, _id, session)) deleted++;
  }
  return deleted;
}

/** Marks one resume deleted, with its event; false when it was not there (or already deleted). */
async function deleteResume(resumes: Collection<ResumeDoc>, id: string, session?: ClientSession): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await resumes.findOne({ _id: id, ...LIVE }, { session, projection: { rev: 1, talentId: 1 } });
    if (!current) return false;
    const event = pendingEvent('resume.deleted', current.rev + 1, { id, talentId: current.talentId });
    const written = await resumes.updateOne({ _id: id, rev: current.rev, ...LIVE }, recording(event, { set: { state: 'deleted' } }), { session });
    if (written.matchedCount) return true;
  }
  throw new Error(`Resume ${id} changed ${MAX_ATTEMPTS} times while being deleted`);
}

export class MongoResumeStore implements ResumeStore {
  constructor(
    private readonly resumes: Collection<ResumeDoc>,
    private readonly talents: Collection<TalentDoc>,
    private readonly run: Run,
  ) {}

  /**
   * Three steps, so that without a transaction no resume outlives its talent and no event of it follows the talent's
   * `talent.deleted`: the resume is saved hidden, without its event; the talent is claimed by a write conditional on it
   * being live (ordered with the deletion's mark; inside the deletion's transaction, a write conflict); then the
   * resume is shown with its `resume.created`, unless the talent's deletion discarded it meanwhile (finishDeletion).
   */
  async create(talentId: string, document: ResumeDocument, authorId: string | null, id: string = randomUUID()): Promise<Resume | null> {
    const now = new Date();
    const stored = toDocument(document);
    await this.resumes.insertOne({
      _id: id,
      talentId,
      version: 1,
      document: stored,
      history: [{ version: 1, document: stored, authorId, createdAt: now }],
      createdAt: now,
      updatedAt: now,
      rev: 0,
      state: 'creating',
      creatingSince: now.getTime(),
    });
    const claimed = await this.talents.updateOne({ _id: talentId, ...LIVE }, { $inc: { resumeClaims: 1 } });
    if (!claimed.matchedCount) {
      await this.resumes.deleteOne({ _id: id, state: 'creating' });
      return null;
    }
    const resume: Resume = { id, talentId, version: 1, ...stored, createdAt: now, updatedAt: now };
    const event = pendingEvent('resume.created', 1, resume);
    const shown = await this.resumes.updateOne({ _id: id, state: 'creating' }, recording(event, { unset: { state: '', creatingSince: '' } }));
    // Not shown: the talent's deletion (or, after a long stall, discardAbandoned) discarded it first.
    return shown.matchedCount ? resume : null;
  }

  /** Discards resumes left in `creating` for longer than `olderThanMs` (a crash before they were shown; no event was recorded for them). */
  async discardAbandoned(olderThanMs: number): Promise<void> {
    await this.resumes.deleteMany({ state: 'creating', creatingSince: { $lt: Date.now() - olderThanMs } });
  }

  async update(id: string, document: ResumeDocument, authorId: string | null): Promise<Resume | null> {
    const stored = toDocument(document);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.resumes.findOne({ _id: id, ...LIVE }, { projection: { history: 0, outbox: 0 } });
      if (!current) return null;
      const now = new Date();
      const version = current.version + 1;
      const resume: Resume = { id, talentId: current.talentId, version, ...stored, createdAt: current.createdAt, updatedAt: now };
      const event = pendingEvent('resume.updated', current.rev + 1, resume);
      const written = await this.resumes.updateOne(
        { _id: id, rev: current.rev, ...LIVE },
        recording(event, { set: { version, document: stored, updatedAt: now }, push: { history: { version, document: stored, authorId, createdAt: now } } }),
      );
      if (written.matchedCount) return resume;
    }
    throw new Error(`Resume ${id} changed ${MAX_ATTEMPTS} times while being updated`);
  }

  delete(id: string): Promise<boolean> {
    return deleteResume(this.resumes, id);
  }

  async getMany(ids: readonly string[]): Promise<Resume[]> {
    return (await this.resumes.find({ _id: { $in: [...ids] }, ...LIVE }, { projection: { history: 0, outbox: 0 } }).toArray()).map(toResume);
  }

  async listByTalents(talentIds: readonly string[]): Promise<Resume[]> {
    const documents = await this.resumes.find({ talentId: { $in: [...talentIds] }, ...LIVE }, { projection: { history: 0, outbox: 0 } }).sort({ createdAt: -1, _id: 1 }).toArray();
    return documents.map(toResume);
  }

  async listVersions(resumeIds: readonly string[]): Promise<ResumeVersion[]> {
    const documents = await this.resumes.find({ _id: { $in: [...resumeIds] }, ...LIVE }, { projection: { history: 1 } }).sort({ _id: 1 }).toArray();
    return documents.flatMap((document) => [...document.history].sort((a, b) => a.version - b.version).map((entry) => toVersion(document._id, entry)));
  }

  async getVersions(keys: readonly ResumeVersionKey[]): Promise<ResumeVersion[]> {
    const wanted = new Set(keys.map((key) => `${key.resumeId}:${key.version}`));
    const documents = await this.resumes.find({ _id: { $in: [...new Set(keys.map((key) => key.resumeId))] }, ...LIVE }, { projection: { history: 1 } }).toArray();
    return documents.flatMap((document) => document.history.filter((entry) => wanted.has(`${document._id}:${entry.version}`)).map((entry) => toVersion(document._id, entry)));
  }

  async importMany(resumes: readonly ImportedResume[]): Promise<void> {
    if (!resumes.length) return;
    const now = new Date();
    const documents = resumes.map((resume): ResumeDoc => {
      const versions = resume.versions.map(toDocument);
      const current = versions.at(-1);
      if (!current) throw new Error(`Resume ${resume.id} has no versions`);
      return {
        _id: resume.id,
        talentId: resume.talentId,
        version: versions.length,
        document: current,
        history: versions.map((document, index) => ({ version: index + 1, document, authorId: resume.authorId, createdAt: now })),
        createdAt: now,
        updatedAt: now,
        rev: 0,
      };
    });
    await this.run(async (session) => {
      await this.resumes.insertMany(documents, { session });
    });
  }

  count(): Promise<number> {
    return this.resumes.countDocuments(LIVE);
  }

  async countVersions(): Promise<number> {
    const [row] = await this.resumes.aggregate<{ n: number }>([{ $match: LIVE }, { $group: { _id: null, n: { $sum: { $size: '$history' } } } }]).toArray();
    return row?.n ?? 0;
  }

  async snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]> {
    const documents = await this.resumes
      .find({ ...(afterId ? { _id: { $gt: afterId } } : {}), ...LIVE }, { projection: { history: 0, outbox: 0 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return documents.map((document) => ({ id: document._id, payload: { ...toResume(document) } }));
  }
}
