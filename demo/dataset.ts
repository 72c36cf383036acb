import { Faker, base, en } from '@faker-js/faker';
import { ACHIEVEMENTS_ZH, CITIES, SLICE_COMPANIES, SLICE_JOBS, SLICE_TALENTS } from './bilingual.ts';
import { SKILL_RELATIONS, SKILL_TAXONOMY } from './skills.ts';
import type {
  DemoAcquaintance,
  DemoApplication, DemoCompany, DemoDataset, DemoJob, DemoLocation, DemoProject, DemoResume,
  DemoResumeDocument, DemoSkill, DemoSkillLevel, DemoStage, DemoTalent, DemoUser,
} from './types.ts';

/** The password of every demo account (documented in the README). */
export const DEMO_PASSWORD = 'looma-demo';
export const DEMO_ADMIN_EMAIL = 'admin@looma.dev';

/** The default demo's size; other sizes keep its ratios (see `sizesFor`). */
export const DEMO_TALENTS = 200;
const DEMO_SIZES = { talents: DEMO_TALENTS, companies: 30, jobs: 100, recruiters: 12, projects: 40 };

/** Companies, jobs, recruiters and projects in the default demo's proportion to `talents`. */
export function sizesFor(talents: number): typeof DEMO_SIZES {
  if (!Number.isInteger(talents) || talents < 1) throw new Error(`A dataset needs a whole number of talents, not ${talents}`);
  const scaled = (count: number) => Math.max(1, Math.round((count * talents) / DEMO_SIZES.talents));
  return { talents, companies: scaled(DEMO_SIZES.companies), jobs: scaled(DEMO_SIZES.jobs), recruiters: scaled(DEMO_SIZES.recruiters), projects: scaled(DEMO_SIZES.projects) };
}
const LEVELS: DemoSkillLevel[] = ['BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'EXPERT'];

/** Career tracks give each talent, job and project a coherent set of skills and titles. */
export const TRACKS = [
  { titles: ['Frontend Engineer', 'UI Engineer', 'Web Developer'], skills: ['JavaScript', 'TypeScript', 'React', 'Vue.js', 'Angular', 'CSS', 'HTML', 'Next.js', 'Redux', 'Tailwind CSS', 'Webpack', 'Vite', 'Jest', 'Storybook', 'Accessibility', 'GraphQL'] },
  { titles: ['Backend Engineer', 'Software Engineer', 'API Engineer'], skills: ['Node.js', 'TypeScript', 'Go', 'Java', 'Spring Boot', 'Python', 'Django', 'PostgreSQL', 'Redis', 'REST APIs', 'GraphQL', 'Microservices', 'Docker', 'Apache Kafka', 'System Design', 'Kotlin'] },
  { titles: ['Data Engineer', 'Analytics Engineer'], skills: ['Python', 'SQL', 'Apache Spark', 'Apache Airflow', 'dbt', 'Snowflake', 'BigQuery', 'Apache Kafka', 'ETL', 'Data Modeling', 'PostgreSQL', 'Scala', 'Data Warehousing'] },
  { titles: ['Machine Learning Engineer', 'Data Scientist', 'AI Engineer'], skills: ['Python', 'Machine Learning', 'Deep Learning', 'PyTorch', 'TensorFlow', 'scikit-learn', 'Pandas', 'NumPy', 'Statistics', 'Natural Language Processing', 'Large Language Models', 'MLOps', 'Computer Vision'] },
  { titles: ['DevOps Engineer', 'Site Reliability Engineer', 'Platform Engineer'], skills: ['Kubernetes', 'Docker', 'Terraform', 'Amazon Web Services', 'Google Cloud Platform', 'Linux', 'Prometheus', 'Grafana', 'Helm', 'CI/CD', 'Bash', 'Go', 'Ansible', 'Site Reliability Engineering'] },
  { titles: ['Mobile Engineer', 'iOS Developer', 'Android Developer'], skills: ['Swift', 'SwiftUI', 'iOS', 'Kotlin', 'Android', 'Jetpack Compose', 'Flutter', 'Dart', 'React Native', 'Git', 'REST APIs'] },
  { titles: ['Product Designer', 'UX Designer'], skills: ['Figma', 'UX Design', 'UI Design', 'Sketch', 'Accessibility', 'Adobe Illustrator', 'HTML', 'CSS', 'Communication'] },
  { titles: ['Engineering Manager', 'Tech Lead'], skills: ['Leadership', 'Mentoring', 'Stakeholder Management', 'Agile', 'Scrum', 'System Design', 'Communication', 'Project Management', 'Java', 'TypeScript'] },
];
const INDUSTRIES = ['Software', 'Fintech', 'Healthcare', 'E-commerce', 'Logistics', 'Media', 'Education', 'Energy', 'Gaming', 'Cybersecurity'];
const COMPANY_SIZES: DemoCompany['size'][] = ['STARTUP', 'SMALL', 'MEDIUM', 'LARGE', 'ENTERPRISE'];
const COUNTRIES = ['DE', 'NL', 'FR', 'GB', 'ES', 'PL', 'US', 'CA', 'PT', 'SE'];
const ACHIEVEMENTS = [
  'Led the migration of a monolith to independently deployable services',
  'Cut page load times by 40% through profiling and caching',
  'Built the internal platform that three product teams now ship on',
  'Mentored four junior engineers through their first year',
  'Designed the data model behind the company\'s core product',
  'Introduced automated testing that halved the regression rate',
  'Ran the on-call rotation and wrote the incident playbooks',
  'Shipped the mobile app from prototype to 100k monthly users',
  'Owned the hiring pipeline for the engineering team',
  'Rebuilt the reporting pipeline to deliver dashboards hourly instead of daily',
];
const TAGS = ['open-to-work', 'relocation', 'remote-only', 'referral', 'visa-required', 'passive', 'top-talent', 'contract'];
const TEAM_TRAITS = ['fast-growing', 'remote-first', 'product-led', 'profitable', 'series-B', 'mission-driven', 'engineering-led'];

/**
 * Generates the demo dataset; the same seed and size always yield the same data. `talents` other
 * than the default scales companies, jobs, recruiters and projects with it (the growth benchmark's
 * datasets); the default is the demo the README and the tests describe.
 */
export function generateDemoDataset(seed = 2026, talentCount = DEMO_TALENTS): DemoDataset {
  const SIZES = sizesFor(talentCount);
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  const pick = <T>(items: readonly T[]) => faker.helpers.arrayElement(items);
  const some = <T>(items: readonly T[], min: number, max: number) => arrayElements(faker, items, min, max);
  const location = (): DemoLocation => ({
    city: faker.location.city(),
    region: faker.location.state(),
    country: pick(COUNTRIES),
    remote: faker.datatype.boolean({ probability: 0.3 }),
  });
  const month = (from: Date, to: Date) => faker.date.between({ from, to }).toISOString().slice(0, 7);

  // Skills
  const skills: DemoSkill[] = SKILL_TAXONOMY.trim().split('\n').map((line) => {
    const [name, category, aliases] = line.split('|') as [string, string, string];
    return { id: faker.string.uuid(), name, category, aliases: aliases.split(',').map((a) => a.trim()).filter(Boolean), relatedIds: [] };
  });
  const skillByName = new Map(skills.map((skill) => [skill.name, skill]));
  const skillId = (name: string) => {
    const skill = skillByName.get(name);
    if (!skill) throw new Error(`demo taxonomy lacks ${name}`);
    return skill.id;
  };
  for (const [a, b] of SKILL_RELATIONS) skillByName.get(a)!.relatedIds.push(skillId(b));

  // Users: staff first, then candidates who have their own account.
  const user = (name: string, role: DemoUser['role'], email?: string): DemoUser => ({
    id: faker.string.uuid(),
    name,
    role,
    email: uniqueEmail(email ?? faker.internet.email({ firstName: name.split(' ')[0], lastName: name.split(' ')[1], provider: 'looma.dev' }).toLowerCase()),
    password: DEMO_PASSWORD,
    status: 'active',
  });
  // Accounts need distinct emails; at tens of thousands, faker repeats some.
  const emails = new Set<string>();
  const uniqueEmail = (email: string) => {
    let unique = email;
    for (let n = 2; emails.has(unique); n++) unique = email.replace('@', `.${n}@`);
    emails.add(unique);
    return unique;
  };
  const users: DemoUser[] = [
    user('Ada Admin', 'super_admin', DEMO_ADMIN_EMAIL),
    user('Alan Admin', 'admin', 'alan.admin@looma.dev'),
    user('Dana Data', 'data_admin', 'dana.data@looma.dev'),
    user('Rita Recruiter', 'user', 'recruiter@looma.dev'),
    user('Gus Guest', 'guest', 'guest@looma.dev'),
  ];
  for (let i = 1; i < SIZES.recruiters; i++) users.push(user(faker.person.fullName(), 'user'));
  const recruiters = users.filter((u) => u.role === 'user');

  // Companies
  const companies: DemoCompany[] = faker.helpers.uniqueArray(() => faker.company.name(), SIZES.companies).map((name) => ({
    id: faker.string.uuid(),
    name,
    industry: pick(INDUSTRIES),
    size: pick(COMPANY_SIZES),
    website: `https://${faker.helpers.slugify(name).toLowerCase().replace(/[^a-z0-9-]/g, '')}.example`,
    location: location(),
    description: faker.company.catchPhrase(),
  }));

  // Talents with resumes
  const talents: DemoTalent[] = [];
  const resumes: DemoResume[] = [];
  const talentTrack = new Map<string, (typeof TRACKS)[number]>();
  for (let i = 0; i < SIZES.talents; i++) {
    const track = pick(TRACKS);
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const name = `${firstName} ${lastName}`;
    const title = pick(track.titles);
    const account = i % 5 === 0 ? user(name, 'user') : null;
    if (account) users.push(account);
    const talent: DemoTalent = {
      id: faker.string.uuid(),
      name,
      headline: `${pick(['Senior', 'Lead', 'Mid-level', 'Staff', 'Junior', 'Principal'])} ${title}`,
      contact: {
        email: faker.internet.email({ firstName, lastName }).toLowerCase(),
        phone: faker.datatype.boolean({ probability: 0.7 }) ? faker.phone.number({ style: 'international' }) : null,
        linkedin: `https://www.linkedin.com/in/${faker.helpers.slugify(`${firstName}-${lastName}`).toLowerCase()}`,
        website: faker.datatype.boolean({ probability: 0.3 }) ? `https://${faker.internet.domainName()}` : null,
      },
      location: location(),
      tags: some(TAGS, 0, 3),
      ownerId: pick(recruiters).id,
      userId: account?.id ?? null,
    };
    talents.push(talent);
    talentTrack.set(talent.id, track);

    const skillsOf = some(track.skills, 4, 8).map((skill) => ({ skillId: skillId(skill), level: pick(LEVELS), years: faker.number.int({ min: 1, max: 15 }) }));
    let cursor = faker.date.past({ years: 12 });
    const experience: DemoResumeDocument['experience'] = [];
    const jobsHeld = faker.number.int({ min: 1, max: 4 });
    for (let j = 0; j < jobsHeld; j++) {
      const company = faker.datatype.boolean({ probability: 0.6 }) ? pick(companies) : null;
      const end = j === jobsHeld - 1 ? null : faker.date.between({ from: cursor, to: new Date() });
      experience.push({
        companyId: company?.id ?? null,
        companyName: company?.name ?? faker.company.name(),
        title: pick(track.titles),
        from: cursor.toISOString().slice(0, 7),
        to: end ? end.toISOString().slice(0, 7) : null,
        description: pick(ACHIEVEMENTS),
      });
      if (end) cursor = end;
    }
    const first: DemoResumeDocument = {
      title: `${title} — ${name}`,
      summary: `${talent.headline} with ${faker.number.int({ min: 2, max: 15 })} years of experience. ${pick(ACHIEVEMENTS)}.`,
      education: [{
        institution: `${faker.location.city()} University`,
        degree: pick(['BSc', 'MSc', 'BA', 'PhD', 'BEng']),
        field: pick(['Computer Science', 'Mathematics', 'Physics', 'Design', 'Information Systems']),
        from: month(new Date('2004-01-01'), new Date('2012-01-01')),
        to: month(new Date('2012-01-02'), new Date('2016-01-01')),
      }],
      experience: experience.reverse(),
      skills: skillsOf,
      projects: some([0, 1, 2], 0, 2).map(() => ({ name: faker.commerce.productName(), description: pick(ACHIEVEMENTS), url: null })),
      certifications: faker.datatype.boolean({ probability: 0.3 })
        ? [{ name: pick(['AWS Certified Solutions Architect', 'CKA', 'Scrum Master', 'GCP Professional Data Engineer']), issuer: null, issuedOn: month(new Date('2018-01-01'), new Date('2025-01-01')), expiresOn: null }]
        : [],
    };
    const versions = [first];
    for (let v = faker.number.int({ min: 0, max: 2 }); v > 0; v--) {
      const previous = versions.at(-1)!;
      versions.push({ ...previous, summary: `${previous.summary} ${pick(ACHIEVEMENTS)}.`, skills: [...previous.skills.slice(1), { skillId: skillId(pick(track.skills)), level: pick(LEVELS), years: faker.number.int({ min: 1, max: 10 }) }].filter((s, k, all) => all.findIndex((o) => o.skillId === s.skillId) === k) });
    }
    resumes.push({ id: faker.string.uuid(), talentId: talent.id, versions });
  }

  // Jobs: most are open, some still drafts, some closed or filled.
  const jobs: DemoJob[] = [];
  for (let i = 0; i < SIZES.jobs; i++) {
    const track = pick(TRACKS);
    const min = faker.number.int({ min: 40, max: 110 }) * 1000;
    const roll = i % 10;
    jobs.push({
      id: faker.string.uuid(),
      companyId: companies[i % companies.length]!.id,
      title: `${pick(['Senior', 'Lead', '', 'Staff', 'Junior'])} ${pick(track.titles)}`.trim(),
      description: `Join a ${pick(TEAM_TRAITS)} ${pick(INDUSTRIES).toLowerCase()} team. You will own features end to end, work closely with product and design, and help us ${pick(['scale the platform', 'launch in new markets', 'modernise our stack', 'build the next generation of our product'])}.`,
      requiredSkills: some(track.skills, 3, 6).map((skill) => ({ skillId: skillId(skill), level: pick(LEVELS.slice(1)) })),
      location: location(),
      employmentType: pick(['FULL_TIME', 'FULL_TIME', 'FULL_TIME', 'CONTRACT', 'PART_TIME', 'INTERNSHIP', 'TEMPORARY'] as const),
      salary: faker.datatype.boolean({ probability: 0.8 }) ? { min, max: min + faker.number.int({ min: 5, max: 40 }) * 1000, currency: 'EUR', period: 'YEAR' } : null,
      statusPath: roll < 6 ? ['DRAFT', 'OPEN'] : roll < 7 ? ['DRAFT'] : roll < 9 ? ['DRAFT', 'OPEN', 'CLOSED'] : ['DRAFT', 'OPEN', 'FILLED'],
    });
  }

  // Applications: talents apply to jobs that were opened; every stage is represented.
  const PIPELINE: DemoStage[] = ['APPLIED', 'SCREENING', 'INTERVIEW', 'OFFER', 'HIRED'];
  const applications: DemoApplication[] = [];
  for (const job of jobs.filter((j) => j.statusPath.includes('OPEN'))) {
    const filled = job.statusPath.at(-1) === 'FILLED';
    const applicants = some(talents, 3, 10);
    applicants.forEach((talent, index) => {
      let stages: DemoStage[];
      if (filled && index === 0) stages = PIPELINE;
      else {
        const reached = faker.number.int({ min: 1, max: filled ? 4 : 4 });
        stages = PIPELINE.slice(0, reached);
        if (faker.datatype.boolean({ probability: filled ? 0.9 : 0.25 })) stages = [...stages, 'REJECTED'];
      }
      applications.push({ id: faker.string.uuid(), talentId: talent.id, jobId: job.id, stages });
    });
  }

  // Projects
  const projects: DemoProject[] = [];
  for (let i = 0; i < SIZES.projects; i++) {
    const members = some(talents, 2, 6);
    const track = talentTrack.get(members[0]!.id)!;
    projects.push({
      id: faker.string.uuid(),
      name: `${faker.commerce.productAdjective()} ${faker.commerce.product()} ${pick(['Platform', 'Migration', 'Redesign', 'Launch', 'Pipeline'])}`,
      description: pick(ACHIEVEMENTS),
      companyId: faker.datatype.boolean({ probability: 0.8 }) ? pick(companies).id : null,
      members: members.map((talent, k) => ({ talentId: talent.id, role: k === 0 ? 'Lead' : pick(track.titles) })),
      skillIds: some(track.skills, 2, 5).map(skillId),
    });
  }

  // Acquaintances (generated last, so adding them left every earlier value as it was): mostly
  // people who share a company, some at random, so the graph has both clusters and bridges.
  const acquaintances: DemoAcquaintance[] = [];
  const linked = new Set<string>();
  const link = (a: string, b: string) => {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    if (a === b || linked.has(key)) return;
    linked.add(key);
    acquaintances.push({ talentId: a, otherId: b, strength: faker.number.float({ min: 0.1, max: 1, fractionDigits: 2 }) });
  };
  const staff = new Map<string, string[]>();
  // Each talent's companies in the order `staff` first saw them: what makes a talent's peers the
  // same list as scanning every company's staff would, without that scan per talent (quadratic).
  const employers = new Map<string, string[]>();
  for (const resume of resumes) {
    for (const job of resume.versions.at(-1)!.experience) {
      if (!job.companyId) continue;
      const ids = staff.get(job.companyId) ?? [];
      if (!staff.has(job.companyId)) staff.set(job.companyId, ids);
      ids.push(resume.talentId);
    }
  }
  const order = new Map([...staff.keys()].map((companyId, index) => [companyId, index]));
  for (const [companyId, ids] of staff) {
    for (const id of new Set(ids)) employers.set(id, [...(employers.get(id) ?? []), companyId]);
  }
  for (const talent of talents) {
    const companiesOf = (employers.get(talent.id) ?? []).sort((a, b) => order.get(a)! - order.get(b)!);
    const peers = [...new Set(companiesOf.flatMap((companyId) => staff.get(companyId)!))];
    for (const peer of some(peers, 0, 2)) link(talent.id, peer);
    if (faker.datatype.boolean({ probability: 0.3 })) link(talent.id, pick(talents).id);
  }

  /**
   * The bilingual slice (demo/bilingual.ts): three companies in China, eleven people there whose
   * profiles mix English and Chinese, nine jobs (several with bilingual titles), and applications
   * from those people to those jobs. Appended after everything above and drawing on the same
   * faker afterwards, so every value generated above stays exactly as it was.
   */
  function appendBilingualSlice() {
    const inChina = new Map<string, DemoCompany>();
    for (const { key, city, ...fields } of SLICE_COMPANIES) {
      const company: DemoCompany = { id: faker.string.uuid(), ...fields, location: { ...CITIES[city].location, remote: false } };
      companies.push(company);
      inChina.set(key, company);
    }

    const sliceTalents: { talent: DemoTalent; skillIds: Set<string> }[] = [];
    for (const spec of SLICE_TALENTS) {
      const name = `${spec.family} ${spec.given}`;
      const talent: DemoTalent = {
        id: faker.string.uuid(),
        name,
        headline: spec.headline,
        contact: {
          email: faker.internet.email({ firstName: spec.given, lastName: spec.family }).toLowerCase(),
          phone: faker.datatype.boolean({ probability: 0.7 }) ? `+86 13${faker.string.numeric(9)}` : null,
          linkedin: `https://www.linkedin.com/in/${spec.given}-${spec.family}`.toLowerCase(),
          website: null,
        },
        location: { ...CITIES[spec.city].location, remote: false },
        tags: some(TAGS, 0, 3),
        ownerId: pick(recruiters).id,
        userId: null,
      };
      talents.push(talent);

      const skillsOf = spec.skills.map(([skill, level, years]) => ({ skillId: skillId(skill), level, years }));
      const experience = spec.experience.map((job) => {
        const company = inChina.get(job.company);
        const [english, chinese] = pick(ACHIEVEMENTS_ZH);
        return { companyId: company?.id ?? null, companyName: company?.name ?? job.company, title: job.title, from: job.from, to: job.to, description: `${english}. ${chinese}。` };
      });
      const [achievement, achievementZh] = pick(ACHIEVEMENTS_ZH);
      const graduated = Number(spec.experience.at(-1)!.from.slice(0, 4));
      const document: DemoResumeDocument = {
        title: `${spec.title} — ${name} ${spec.chinese}`,
        summary: `${spec.headline.split(' · ')[0]} with ${spec.years} years of experience, based in ${spec.city}. ${achievement}. ${achievementZh}。${spec.summaryZh}`,
        education: [{ ...spec.education, from: `${graduated - 4}-09`, to: `${graduated}-06` }],
        experience,
        skills: skillsOf,
        projects: [],
        certifications: [],
      };
      resumes.push({ id: faker.string.uuid(), talentId: talent.id, versions: [document] });
      sliceTalents.push({ talent, skillIds: new Set(skillsOf.map((skill) => skill.skillId)) });
    }

    for (const spec of SLICE_JOBS) {
      const company = inChina.get(spec.company)!;
      const job: DemoJob = {
        id: faker.string.uuid(),
        companyId: company.id,
        title: spec.title,
        description: spec.description,
        requiredSkills: spec.requiredSkills.map(([skill, level]) => ({ skillId: skillId(skill), level })),
        location: { ...company.location, remote: spec.remote },
        employmentType: spec.employmentType,
        salary: spec.monthly ? { min: spec.monthly[0], max: spec.monthly[1], currency: 'CNY', period: 'MONTH' } : null,
        statusPath: spec.statusPath,
      };
      jobs.push(job);
      if (!job.statusPath.includes('OPEN')) continue;

      // People of the slice with a skill the job asks for apply to it, as above.
      const filled = job.statusPath.at(-1) === 'FILLED';
      const fits = sliceTalents.filter(({ skillIds }) => job.requiredSkills.some((required) => skillIds.has(required.skillId))).map(({ talent }) => talent);
      some(fits, 1, Math.min(3, fits.length)).forEach((talent, index) => {
        let stages: DemoStage[];
        if (filled && index === 0) stages = PIPELINE;
        else {
          stages = PIPELINE.slice(0, faker.number.int({ min: 1, max: 4 }));
          if (faker.datatype.boolean({ probability: filled ? 0.9 : 0.25 })) stages = [...stages, 'REJECTED'];
        }
        applications.push({ id: faker.string.uuid(), talentId: talent.id, jobId: job.id, stages });
      });
    }
  }

  appendBilingualSlice();
  return { users, skills, companies, talents, resumes, jobs, applications, projects, acquaintances };
}

/**
 * faker.helpers.arrayElements(items, { min, max }) drawing the same random numbers and returning
 * the same elements, without copying `items` first: its partial Fisher–Yates shuffle copies the
 * whole array per call, which makes picking a job's applicants quadratic in the talents.
 */
function arrayElements<T>(faker: Faker, items: readonly T[], min: number, max: number): T[] {
  if (items.length === 0) return [];
  const count = faker.number.int({ min, max });
  if (count >= items.length) return faker.helpers.shuffle(items);
  if (count <= 0) return [];
  // The shuffled positions only: a position not in `moved` still holds its original element.
  const moved = new Map<number, T>();
  const at = (index: number) => (moved.has(index) ? moved.get(index)! : items[index]!);
  const end = items.length - count;
  for (let i = items.length - 1; i >= end; i--) {
    const j = faker.number.int(i);
    const picked = at(j);
    moved.set(j, at(i));
    moved.set(i, picked);
  }
  return Array.from({ length: count }, (_, k) => at(end + k));
}
