/**
 * Derives the judged query set (test/relevance/judgments.json) from the demo dataset.
 *
 * Every query states, in `intent`, who or what a user typing it wants, and the relevant set
 * is an explicit predicate over the dataset written next to it: grade 3 = exactly what was
 * asked, 2 = clearly relevant, 1 = related. The judgments describe what a user wants, never
 * what any engine returns: nothing here calls the search code.
 *
 *   npx tsx test/relevance/judge.ts      regenerates judgments.json (deterministically)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateDemoDataset } from '../../demo/dataset.ts';
import { JUDGMENTS_FILE } from './metrics.ts';
import type { DemoCompany, DemoDataset, DemoJob, DemoProject, DemoResumeDocument, DemoSkill, DemoSkillLevel, DemoTalent } from '../../demo/types.ts';

export type SearchType = 'TALENT' | 'JOB' | 'COMPANY' | 'PROJECT' | 'SKILL';
export type Grade = 1 | 2 | 3;

export interface Judged {
  type: SearchType;
  id: string;
  grade: Grade;
}

export interface Judgment {
  query: string;
  types?: SearchType[];
  intent: string;
  relevant: Judged[];
}

/** The metrics look at the top 10; a longer list only matters for what counts as judged. */
export const MAX_RELEVANT = 50;

// ---------------------------------------------------------------------------------------------
// Views of the dataset that the predicates read

interface TalentView {
  talent: DemoTalent;
  headline: string;
  city: string | null;
  /** Skill name → level, from the latest version of the talent's resumes. */
  skills: Map<string, DemoSkillLevel>;
  experience: DemoResumeDocument['experience'];
}

interface JobView {
  job: DemoJob;
  title: string;
  city: string | null;
  company: DemoCompany;
  /** Skill name → required level. */
  skills: Map<string, DemoSkillLevel>;
}

interface ProjectView {
  project: DemoProject;
  skills: Set<string>;
}

interface Views {
  talents: TalentView[];
  jobs: JobView[];
  companies: DemoCompany[];
  projects: ProjectView[];
  skills: DemoSkill[];
  /** Skill name → names of the skills it relates to (both directions of the taxonomy's pairs). */
  related: Map<string, Set<string>>;
}

function views(dataset: DemoDataset): Views {
  const skillName = new Map(dataset.skills.map((skill) => [skill.id, skill.name]));
  const name = (id: string) => skillName.get(id) ?? id;
  const companyById = new Map(dataset.companies.map((company) => [company.id, company]));
  const related = new Map<string, Set<string>>(dataset.skills.map((skill) => [skill.name, new Set<string>()]));
  for (const skill of dataset.skills) {
    for (const other of skill.relatedIds) {
      related.get(skill.name)!.add(name(other));
      related.get(name(other))!.add(skill.name);
    }
  }
  return {
    talents: dataset.talents.map((talent) => {
      const documents = dataset.resumes.filter((resume) => resume.talentId === talent.id).map((resume) => resume.versions.at(-1)!);
      return {
        talent,
        headline: talent.headline,
        city: talent.location.city,
        skills: new Map(documents.flatMap((document) => document.skills.map((skill) => [name(skill.skillId), skill.level] as const))),
        experience: documents.flatMap((document) => document.experience),
      };
    }),
    jobs: dataset.jobs.map((job) => ({
      job,
      title: job.title,
      city: job.location.city,
      company: companyById.get(job.companyId)!,
      skills: new Map(job.requiredSkills.map((skill) => [name(skill.skillId), skill.level] as const)),
    })),
    companies: dataset.companies,
    projects: dataset.projects.map((project) => ({ project, skills: new Set(project.skillIds.map(name)) })),
    skills: dataset.skills,
    related,
  };
}

// ---------------------------------------------------------------------------------------------
// Small predicates the judgments are written in

type MaybeGrade = Grade | 0 | null | undefined | false;

/** How well a person's level in a skill matches a search for that skill. */
const levelGrade = (level: DemoSkillLevel | undefined): MaybeGrade =>
  level === 'EXPERT' || level === 'ADVANCED' ? 3 : level === 'INTERMEDIATE' ? 2 : level === 'BEGINNER' ? 1 : 0;
const strong = (level: DemoSkillLevel | undefined) => level === 'EXPERT' || level === 'ADVANCED';
/** Case-insensitive "contains any of". */
const mentions = (text: string, ...needles: string[]) => needles.some((needle) => text.toLowerCase().includes(needle.toLowerCase()));
// Seniority is the first word of a headline or job title ("Senior Tech Lead" is Senior, "Junior
// Tech Lead" is not a lead), in English or Chinese.
/** Senior in the narrow sense: Senior, or 高级. */
const isSenior = (text: string) => /^(Senior\b|高级)/.test(text);
/** More senior than Senior: Lead, Staff, Principal, or 资深, 首席. */
const isAboveSenior = (text: string) => /^(Lead\b|Staff\b|Principal\b|资深|首席)/.test(text);
const isJunior = (text: string) => /^(Junior\b|初级)/.test(text);
const isMid = (text: string) => /^(Mid-level\b|中级)/.test(text);
/** The talent works there now (an experience entry with no end). */
const worksAt = (t: TalentView, company: DemoCompany) => t.experience.some((job) => job.companyId === company.id && job.to === null);
const workedAt = (t: TalentView, company: DemoCompany) => t.experience.some((job) => job.companyId === company.id);
const managerRole = (text: string) => mentions(text, 'Manager');
const frontendRole = (text: string) => mentions(text, 'Frontend Engineer', 'UI Engineer', 'Web Developer', '前端');

interface Graders {
  talent?: (t: TalentView) => MaybeGrade;
  job?: (j: JobView) => MaybeGrade;
  company?: (c: DemoCompany) => MaybeGrade;
  project?: (p: ProjectView) => MaybeGrade;
  skill?: (s: DemoSkill) => MaybeGrade;
}

const TYPE_ORDER: SearchType[] = ['SKILL', 'COMPANY', 'JOB', 'TALENT', 'PROJECT'];

function judge(v: Views, query: string, intent: string, types: SearchType[] | undefined, graders: Graders): Judgment {
  const all: Judged[] = [];
  const add = <T>(type: SearchType, items: T[], id: (item: T) => string, grader: ((item: T) => MaybeGrade) | undefined) => {
    if (!grader) return;
    if (types && !types.includes(type)) throw new Error(`"${query}": a ${type} grader, but the query is restricted to ${types.join(', ')}`);
    for (const item of items) {
      const grade = grader(item);
      if (grade) all.push({ type, id: id(item), grade });
    }
  };
  add('SKILL', v.skills, (s) => s.id, graders.skill);
  add('COMPANY', v.companies, (c) => c.id, graders.company);
  add('JOB', v.jobs, (j) => j.job.id, graders.job);
  add('TALENT', v.talents, (t) => t.talent.id, graders.talent);
  add('PROJECT', v.projects, (p) => p.project.id, graders.project);
  // Best grades first; within a grade, skills, companies, jobs, talents, projects, each in dataset order.
  const relevant = all
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.grade - a.item.grade || TYPE_ORDER.indexOf(a.item.type) - TYPE_ORDER.indexOf(b.item.type) || a.index - b.index)
    .map(({ item }) => item);
  if (relevant.length === 0) throw new Error(`"${query}" has no relevant results`);
  const kept = relevant.slice(0, MAX_RELEVANT);
  const dropped = relevant.slice(MAX_RELEVANT);
  if (dropped.some((item) => item.grade >= 2)) throw new Error(`"${query}": capping at ${MAX_RELEVANT} would drop results of grade 2 or 3; tighten the predicate`);
  return { query, ...(types ? { types } : {}), intent, relevant: kept };
}

// ---------------------------------------------------------------------------------------------
// The queries

/** The judged query set over a dataset (by default the demo's). */
export function deriveJudgments(dataset: DemoDataset = generateDemoDataset()): Judgment[] {
  const v = views(dataset);
  const out: Judgment[] = [];
  const q = (query: string, intent: string, types: SearchType[] | undefined, graders: Graders) => out.push(judge(v, query, intent, types, graders));
  const company = (name: string) => {
    const found = v.companies.find((c) => c.name === name);
    if (!found) throw new Error(`no company ${name}`);
    return found;
  };

  /** A skill searched by a name, alias or misspelling: the skill (3) and the skills it relates to (1). */
  const skillItself = (query: string, skill: string, note: string) =>
    q(query, `The skill ${skill} (${note}); skills related to it in the taxonomy are related.`, ['SKILL'], {
      skill: (s) => (s.name === skill ? 3 : v.related.get(skill)!.has(s.name) && 1),
    });
  /** People searched by a skill: graded by their level in it. */
  const peopleWith = (query: string, skill: string, note: string) =>
    q(query, `People with ${skill} (${note}): ADVANCED or EXPERT exactly what was asked, INTERMEDIATE clearly relevant, BEGINNER related.`, ['TALENT'], {
      talent: (t) => levelGrade(t.skills.get(skill)),
    });
  /** Jobs searched by a skill: jobs requiring it, higher when they require it at a higher level. */
  const jobsRequiring = (query: string, skill: string, note: string) =>
    q(query, `Jobs that require ${skill} (${note}): at ADVANCED or EXPERT exactly what was asked, at INTERMEDIATE clearly relevant.`, ['JOB'], {
      job: (j) => (strong(j.skills.get(skill)) ? 3 : j.skills.has(skill) && 2),
    });

  // Skill names and aliases
  q('typescript', 'Everything centred on TypeScript: the skill itself, jobs and people whose title names it (3); jobs requiring it and people strong in it (2); anyone with it at a lower level, and projects using it (1).', undefined, {
    skill: (s) => s.name === 'TypeScript' && 3,
    job: (j) => (mentions(j.title, 'TypeScript') ? 3 : j.skills.has('TypeScript') && 2),
    talent: (t) => (mentions(t.headline, 'TypeScript') ? 3 : strong(t.skills.get('TypeScript')) ? 2 : t.skills.has('TypeScript') && 1),
    project: (p) => p.skills.has('TypeScript') && 1,
  });
  skillItself('js', 'JavaScript', 'alias "JS"');
  skillItself('k8s', 'Kubernetes', 'alias "K8s"');
  skillItself('postgres', 'PostgreSQL', 'alias "Postgres"');
  skillItself('node js', 'Node.js', 'spelled as two words');
  skillItself('c#', 'C#', 'a name with a symbol in it');
  q('ml', 'The skill Machine Learning (alias "ML") (3); skills related to it in the taxonomy and the other AI/ML skills (1).', ['SKILL'], {
    skill: (s) => (s.name === 'Machine Learning' ? 3 : (v.related.get('Machine Learning')!.has(s.name) || s.category === 'AI_ML') && 1),
  });
  jobsRequiring('golang', 'Go', 'alias "Golang"');
  jobsRequiring('kafka', 'Apache Kafka', 'alias "Kafka"');
  peopleWith('reactjs', 'React', 'alias "ReactJS"');
  peopleWith('nlp', 'Natural Language Processing', 'alias "NLP"');
  peopleWith('aws', 'Amazon Web Services', 'alias "AWS"');
  q('sre', 'Site reliability engineering (alias "SRE"): the skill, and jobs and people titled Site Reliability Engineer (3); jobs requiring the skill and people with it (2).', undefined, {
    skill: (s) => s.name === 'Site Reliability Engineering' && 3,
    job: (j) => (mentions(j.title, 'Site Reliability Engineer', 'SRE') ? 3 : j.skills.has('Site Reliability Engineering') && 2),
    talent: (t) => (mentions(t.headline, 'Site Reliability Engineer', 'SRE') ? 3 : t.skills.has('Site Reliability Engineering') && 2),
  });

  // Typos
  skillItself('javscript', 'JavaScript', 'misspelled');
  skillItself('tensorflw', 'TensorFlow', 'misspelled');
  peopleWith('pyton', 'Python', 'misspelled');
  jobsRequiring('dokcer', 'Docker', 'misspelled');
  q('kubernets', 'Kubernetes, misspelled: the skill (3); jobs requiring it and people strong in it (2); people with it at a lower level (1).', undefined, {
    skill: (s) => s.name === 'Kubernetes' && 3,
    job: (j) => j.skills.has('Kubernetes') && 2,
    talent: (t) => (strong(t.skills.get('Kubernetes')) ? 2 : t.skills.has('Kubernetes') && 1),
  });
  q('machne lerning engineer', 'Machine Learning Engineer jobs, misspelled: titled Machine Learning Engineer (3); AI Engineer or Data Scientist jobs (2); other jobs requiring Machine Learning (1).', ['JOB'], {
    job: (j) => (mentions(j.title, 'Machine Learning Engineer') ? 3 : mentions(j.title, 'AI Engineer', 'Data Scientist') ? 2 : j.skills.has('Machine Learning') && 1),
  });

  // Job titles
  const dataEngineerJobs: Graders = {
    job: (j) =>
      mentions(j.title, 'Data Engineer', '数据工程师')
        ? 3
        : mentions(j.title, 'Analytics Engineer')
          ? 2
          : ['ETL', 'Apache Spark', 'Apache Airflow', 'Data Warehousing'].some((skill) => j.skills.has(skill)) && 1,
  };
  const dataEngineerIntent = 'Data Engineer jobs: titled Data Engineer, in English or Chinese (3); Analytics Engineer jobs (2); jobs requiring ETL, Spark, Airflow or data warehousing (1).';
  q('data engineer', dataEngineerIntent, ['JOB'], dataEngineerJobs);
  q('machine learning engineer', 'Machine Learning Engineer jobs: titled Machine Learning Engineer, in English or Chinese (3); AI Engineer or Data Scientist jobs (2); other jobs requiring Machine Learning (1).', ['JOB'], {
    job: (j) => (mentions(j.title, 'Machine Learning Engineer', '机器学习工程师') ? 3 : mentions(j.title, 'AI Engineer', 'Data Scientist') ? 2 : j.skills.has('Machine Learning') && 1),
  });
  q('product designer', 'Product designers and product designer jobs (3); UX designers and UX designer jobs (2).', undefined, {
    job: (j) => (mentions(j.title, 'Product Designer', '产品设计师') ? 3 : mentions(j.title, 'UX Designer') && 2),
    talent: (t) => (mentions(t.headline, 'Product Designer', '产品设计师') ? 3 : mentions(t.headline, 'UX Designer') && 2),
  });
  q('engineering manager', 'People who are engineering managers (3); tech leads (2).', ['TALENT'], {
    talent: (t) => (mentions(t.headline, 'Engineering Manager') ? 3 : mentions(t.headline, 'Tech Lead') && 2),
  });
  q('site reliability engineer', 'Site Reliability Engineer jobs (3); DevOps and Platform Engineer jobs (2); other jobs requiring site reliability engineering (1).', ['JOB'], {
    job: (j) => (mentions(j.title, 'Site Reliability Engineer') ? 3 : mentions(j.title, 'DevOps Engineer', 'Platform Engineer') ? 2 : j.skills.has('Site Reliability Engineering') && 1),
  });
  q('ios developer', 'People who are iOS developers (3); mobile engineers (2); anyone else with iOS or Swift (1).', ['TALENT'], {
    talent: (t) => (mentions(t.headline, 'iOS Developer') ? 3 : mentions(t.headline, 'Mobile Engineer') ? 2 : (t.skills.has('iOS') || t.skills.has('Swift')) && 1),
  });
  q('android developer', 'Android Developer jobs, in English or Chinese (3); Mobile Engineer jobs (2); other jobs requiring Android (1).', ['JOB'], {
    job: (j) => (mentions(j.title, 'Android Developer', '安卓') ? 3 : mentions(j.title, 'Mobile Engineer') ? 2 : j.skills.has('Android') && 1),
  });
  q('backend engineer', 'Backend engineers and backend engineer jobs, in English or Chinese (3); software and API engineers and their jobs (2).', undefined, {
    job: (j) => (mentions(j.title, 'Backend Engineer', '后端') ? 3 : mentions(j.title, 'Software Engineer', 'API Engineer') && 2),
    talent: (t) => (mentions(t.headline, 'Backend Engineer', '后端') ? 3 : mentions(t.headline, 'Software Engineer', 'API Engineer') && 2),
  });

  // Seniority and skill
  const seniorTypeScriptShanghai: Graders = {
    talent: (t) =>
      t.city === 'Shanghai' && strong(t.skills.get('TypeScript'))
        ? isSenior(t.headline) ? 3 : isAboveSenior(t.headline) ? 2 : 1
        : (isSenior(t.headline) || isAboveSenior(t.headline)) && strong(t.skills.get('TypeScript')) && 1,
    job: (j) =>
      j.city === 'Shanghai' && j.skills.has('TypeScript')
        ? isSenior(j.title) ? 3 : 2
        : isSenior(j.title) && j.skills.has('TypeScript') && 1,
  };
  const seniorTypeScriptShanghaiIntent =
    'Senior TypeScript people and jobs in Shanghai: Senior people there strong in TypeScript, Senior jobs there requiring it (3); Lead/Staff/Principal people there strong in it, other jobs there requiring it (2); senior people and Senior jobs with TypeScript elsewhere (1).';
  q('senior typescript shanghai', seniorTypeScriptShanghaiIntent, undefined, seniorTypeScriptShanghai);
  q('senior java', 'Senior Java developer jobs: Senior engineering jobs requiring Java (3); Lead or Staff engineering jobs, and Senior manager jobs, requiring it (2); other jobs requiring it (1).', ['JOB'], {
    job: (j) =>
      j.skills.has('Java') &&
      (isSenior(j.title) && !managerRole(j.title) ? 3 : (isAboveSenior(j.title) && !managerRole(j.title)) || isSenior(j.title) ? 2 : 1),
  });
  q('lead python', 'Leads who know Python: Lead people strong in Python (3); Lead people with Python at a lower level (2); other people strong in Python (1).', ['TALENT'], {
    talent: (t) => (t.headline.startsWith('Lead') && t.skills.has('Python') ? (strong(t.skills.get('Python')) ? 3 : 2) : strong(t.skills.get('Python')) && 1),
  });
  q('junior frontend developer', 'Junior frontend people (frontend, UI or web) (3); other junior people with React, Vue.js or Angular (2); mid-level frontend people (1).', ['TALENT'], {
    talent: (t) =>
      isJunior(t.headline)
        ? frontendRole(t.headline) ? 3 : ['React', 'Vue.js', 'Angular'].some((skill) => t.skills.has(skill)) && 2
        : isMid(t.headline) && frontendRole(t.headline) && 1,
  });
  q('staff devops engineer', 'Staff DevOps engineers (3); DevOps engineers at other levels (2); staff site reliability and platform engineers (1).', ['TALENT'], {
    talent: (t) =>
      mentions(t.headline, 'DevOps Engineer')
        ? t.headline.startsWith('Staff') ? 3 : 2
        : t.headline.startsWith('Staff') && mentions(t.headline, 'Site Reliability Engineer', 'Platform Engineer') && 1,
  });
  q('principal machine learning engineer', 'Principal machine learning engineers (3); machine learning engineers at other levels (2); principal data scientists and AI engineers (1).', ['TALENT'], {
    talent: (t) =>
      mentions(t.headline, 'Machine Learning Engineer')
        ? t.headline.startsWith('Principal') ? 3 : 2
        : t.headline.startsWith('Principal') && mentions(t.headline, 'Data Scientist', 'AI Engineer') && 1,
  });
  q('senior android developer', 'Senior Android developers and Senior Android Developer jobs, in English or Chinese (3); Android developers and jobs at other levels (2); anyone else strong in Android, other jobs requiring it (1).', undefined, {
    job: (j) => (mentions(j.title, 'Android Developer', '安卓') ? (isSenior(j.title) ? 3 : 2) : j.skills.has('Android') && 1),
    talent: (t) => (mentions(t.headline, 'Android Developer', '安卓') ? (isSenior(t.headline) ? 3 : 2) : strong(t.skills.get('Android')) && 1),
  });

  // Locations
  const inCity = (city: string): Graders => ({
    company: (c) => c.location.city === city && 3,
    job: (j) => j.city === city && 3,
    talent: (t) => (t.city === city ? 3 : v.companies.some((c) => c.location.city === city && workedAt(t, c)) && 1),
  });
  const inCityIntent = (city: string) => `Everything located in ${city}: companies, jobs and people there (3); people who worked at a company there but live elsewhere (1).`;
  q('shanghai', inCityIntent('Shanghai'), undefined, inCity('Shanghai'));
  q('beijing', 'Jobs located in Beijing.', ['JOB'], { job: (j) => j.city === 'Beijing' && 3 });
  q('shenzhen', 'People located in Shenzhen (3); people who worked at a Shenzhen company but live elsewhere (1).', ['TALENT'], { talent: inCity('Shenzhen').talent });
  q('belleville', 'Everything located in Belleville (a city that a company and a job share).', undefined, inCity('Belleville'));
  q('gresham', 'People located in Gresham.', ['TALENT'], { talent: (t) => t.city === 'Gresham' && 3 });
  q('kubernetes shenzhen', 'Kubernetes in Shenzhen: people there with Kubernetes and jobs there requiring it (3); people elsewhere strong in Kubernetes and jobs elsewhere requiring it (1).', undefined, {
    job: (j) => j.skills.has('Kubernetes') && (j.city === 'Shenzhen' ? 3 : 1),
    talent: (t) => (t.city === 'Shenzhen' && t.skills.has('Kubernetes') ? 3 : strong(t.skills.get('Kubernetes')) && 1),
  });

  // Companies
  const companyAndItsPeople = (c: DemoCompany): Graders => ({
    company: (other) => other.id === c.id && 3,
    job: (j) => j.company.id === c.id && 2,
    talent: (t) => (worksAt(t, c) ? 2 : workedAt(t, c) && 1),
    project: (p) => p.project.companyId === c.id && 1,
  });
  const companyIntent = (name: string) => `The company ${name} (3); its jobs and the people working there now (2); people who worked there before, and its projects (1).`;
  q('heathcote baumbach', companyIntent('Heathcote, Baumbach and Ritchie'), undefined, companyAndItsPeople(company('Heathcote, Baumbach and Ritchie')));
  q('lingyun', companyIntent('Lingyun Fintech 凌云金融科技'), undefined, companyAndItsPeople(company('Lingyun Fintech 凌云金融科技')));
  q('schneider', 'The company Schneider Group (3); other companies with Schneider in their name (2).', ['COMPANY'], {
    company: (c) => (c.name === 'Schneider Group' ? 3 : mentions(c.name, 'Schneider') && 2),
  });
  q('jacobi', 'Every company with Jacobi in its name.', ['COMPANY'], { company: (c) => mentions(c.name, 'Jacobi') && 3 });
  q('torphy llc', 'The company Torphy LLC.', ['COMPANY'], { company: (c) => c.name === 'Torphy LLC' && 3 });
  q('mckenzie ortiz', 'The jobs at McKenzie - Ortiz.', ['JOB'], { job: (j) => j.company.name === 'McKenzie - Ortiz' && 3 });

  // Projects
  q('unbranded bacon platform', 'The projects named Unbranded Bacon Platform (there are two) (3); other Bacon or Unbranded projects (1).', ['PROJECT'], {
    project: (p) => (p.project.name === 'Unbranded Bacon Platform' ? 3 : mentions(p.project.name, 'Bacon', 'Unbranded') && 1),
  });
  q('bacon', 'Projects with Bacon in their name.', ['PROJECT'], { project: (p) => mentions(p.project.name, 'Bacon') && 3 });
  q('migration', 'Migration projects: named a Migration (3); described as a migration (2).', ['PROJECT'], {
    project: (p) => (mentions(p.project.name, 'Migration') ? 3 : mentions(p.project.description, 'migration') && 2),
  });
  q('reporting pipeline', 'Projects that rebuilt a reporting pipeline (3); other projects named a Pipeline (1).', ['PROJECT'], {
    project: (p) => (mentions(p.project.description, 'reporting pipeline') ? 3 : mentions(p.project.name, 'Pipeline') && 1),
  });
  q('handcrafted keyboard', 'The Handcrafted Keyboard Platform project (3); other Handcrafted or Keyboard projects (1).', ['PROJECT'], {
    project: (p) => (p.project.name === 'Handcrafted Keyboard Platform' ? 3 : mentions(p.project.name, 'Handcrafted', 'Keyboard') && 1),
  });

  // People by name
  q('allison moore', 'The person Allison Moore (3); other people named Moore (1).', ['TALENT'], {
    talent: (t) => (t.talent.name === 'Allison Moore' ? 3 : mentions(t.talent.name, 'Moore') && 1),
  });
  q('alison moore', 'The person Allison Moore, misspelled (3); other people named Moore (1).', ['TALENT'], {
    talent: (t) => (t.talent.name === 'Allison Moore' ? 3 : mentions(t.talent.name, 'Moore') && 1),
  });
  q('gerlach', 'Everyone named Gerlach.', ['TALENT'], { talent: (t) => mentions(t.talent.name, 'Gerlach') && 3 });
  q('zola zulauf', 'The person Zola Zulauf (3); other people named Zulauf (1).', undefined, {
    talent: (t) => (t.talent.name === 'Zola Zulauf' ? 3 : mentions(t.talent.name, 'Zulauf') && 1),
  });

  // Chinese
  q('高级 Java 工程师', '"Senior Java engineer" in Chinese, for jobs: the job titled 高级 Java 工程师 (3); other Senior engineering jobs requiring Java (2); other jobs requiring Java (1).', ['JOB'], {
    job: (j) => (mentions(j.title, '高级 Java 工程师') ? 3 : j.skills.has('Java') && (isSenior(j.title) && !managerRole(j.title) ? 2 : 1)),
  });
  q('高级Java工程师', '"Senior Java engineer" in Chinese, unspaced: the job and the people titled 高级 Java 工程师 (3); other senior people strong in Java (1).', undefined, {
    job: (j) => mentions(j.title, '高级 Java 工程师') && 3,
    talent: (t) => (mentions(t.headline, '高级 Java 工程师') ? 3 : (isSenior(t.headline) || isAboveSenior(t.headline)) && strong(t.skills.get('Java')) && 1),
  });
  q('前端工程师', '"Frontend engineer" in Chinese, for people: frontend engineers, whatever language their profile is in (3); UI engineers and web developers (2); people who were frontend engineers before (1).', ['TALENT'], {
    talent: (t) =>
      mentions(t.headline, 'Frontend Engineer', '前端')
        ? 3
        : mentions(t.headline, 'UI Engineer', 'Web Developer')
          ? 2
          : t.experience.some((job) => mentions(job.title, 'Frontend Engineer', '前端')) && 1,
  });
  q('机器学习', '"Machine learning" in Chinese, for jobs: machine learning engineer jobs in either language (3); AI Engineer and Data Scientist jobs (2); other jobs requiring Machine Learning (1).', ['JOB'], {
    job: (j) => (mentions(j.title, 'Machine Learning', '机器学习') ? 3 : mentions(j.title, 'AI Engineer', 'Data Scientist') ? 2 : j.skills.has('Machine Learning') && 1),
  });
  q('上海', `"Shanghai" in Chinese. ${inCityIntent('Shanghai')}`, undefined, inCity('Shanghai'));
  q('数据工程师', `"Data engineer" in Chinese. ${dataEngineerIntent}`, ['JOB'], dataEngineerJobs);
  q('王芳', 'The person Wang Fang, by her name in Chinese characters.', ['TALENT'], { talent: (t) => t.talent.name === 'Wang Fang' && 3 });
  q('凌云', `"Lingyun" in Chinese. ${companyIntent('Lingyun Fintech 凌云金融科技')}`, undefined, companyAndItsPeople(company('Lingyun Fintech 凌云金融科技')));
  const android = (title: string, skills: Map<string, DemoSkillLevel>) => skills.has('Android') || mentions(title, 'Android', '安卓');
  q('深圳 安卓', '"Shenzhen Android" in Chinese: people with Android and Android jobs in Shenzhen (3); Android developers and Android Developer jobs elsewhere (1).', undefined, {
    job: (j) => (android(j.title, j.skills) && j.city === 'Shenzhen' ? 3 : mentions(j.title, 'Android Developer') && 1),
    talent: (t) => (android(t.headline, t.skills) && t.city === 'Shenzhen' ? 3 : mentions(t.headline, 'Android Developer') && 1),
  });

  // Mixed Chinese and English
  q('高级 TypeScript 工程师 上海', `"Senior TypeScript engineer, Shanghai", mixing Chinese and English. ${seniorTypeScriptShanghaiIntent}`, undefined, seniorTypeScriptShanghai);
  q('react 前端', '"React frontend": frontend jobs requiring React (3); frontend jobs without React (2); other jobs requiring React (1).', ['JOB'], {
    job: (j) => (frontendRole(j.title) ? (j.skills.has('React') ? 3 : 2) : j.skills.has('React') && 1),
  });
  q('java 后端', '"Java backend", for people: backend engineers strong in Java (3); backend engineers with Java at a lower level (2); other people strong in Java (1).', ['TALENT'], {
    talent: (t) =>
      mentions(t.headline, 'Backend Engineer', '后端', 'Software Engineer', 'API Engineer', 'Java Engineer') && t.skills.has('Java')
        ? strong(t.skills.get('Java')) ? 3 : 2
        : strong(t.skills.get('Java')) && 1,
  });

  // Type-restricted versions of broad words
  q('typescript', 'TypeScript jobs only: titled TypeScript or requiring it at ADVANCED or EXPERT (3); requiring it at INTERMEDIATE (2).', ['JOB'], {
    job: (j) => (mentions(j.title, 'TypeScript') || strong(j.skills.get('TypeScript')) ? 3 : j.skills.has('TypeScript') && 2),
  });
  q('data', 'Data skills: the skills in the DATA category (3); database skills (2).', ['SKILL'], {
    skill: (s) => (s.category === 'DATA' ? 3 : s.category === 'DATABASE' && 2),
  });
  q('fintech', 'Fintech companies.', ['COMPANY'], { company: (c) => c.industry === 'Fintech' && 3 });

  return out;
}

// ---------------------------------------------------------------------------------------------
// judgments.json: one query per block, one judged result per line, so diffs stay readable

export function formatJudgments(judgments: Judgment[]): string {
  const blocks = judgments.map((judgment) => {
    const head = [`    "query": ${JSON.stringify(judgment.query)}`];
    if (judgment.types) head.push(`    "types": ${JSON.stringify(judgment.types)}`);
    head.push(`    "intent": ${JSON.stringify(judgment.intent)}`);
    const relevant = judgment.relevant.map((item) => `      ${JSON.stringify(item)}`).join(',\n');
    return `  {\n${head.join(',\n')},\n    "relevant": [\n${relevant}\n    ]\n  }`;
  });
  return `[\n${blocks.join(',\n')}\n]\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const judgments = deriveJudgments();
  writeFileSync(JUDGMENTS_FILE, formatJudgments(judgments));
  const relevant = judgments.reduce((sum, judgment) => sum + judgment.relevant.length, 0);
  console.log(`${judgments.length} queries, ${relevant} judged results → ${JUDGMENTS_FILE}`);
}
