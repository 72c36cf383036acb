import { words, type SkillAliases } from '../../../platform/text-analysis.ts';
import { skillsNamed } from '../embedding/hashing.ts';
import { notInRecord, type Answer, type Answerer } from './answer.ts';
import { PERSONAL_TOPICS, type Fact, type TalentRecord, type Topic } from './record.ts';

/**
 * The offline answerer: finds what a question asks about (a skill it names, or a topic its words
 * point to, in English or Chinese) and answers with the record's facts on it, quoted, each
 * cited. When the record holds nothing on it, it says so; it never composes anything else.
 */

const TOPICS: readonly [Topic, RegExp][] = [
  ['years', /\bhow (many|long)\b.*\byears?\b|\byears? of experience\b|多少年|几年/i],
  ['contact', /\b(e-?mail|phone|contact|reach|linkedin|website)\b|电话|邮箱|联系/i],
  ['salary', /\b(salary|pay|paid|compensation|earn|wage|expects? to make)\b|薪|工资|待遇/i],
  ['education', /\b(stud(y|ied)|degree|universit\w*|college|school|education|graduat\w*)\b|学历|教育|大学|毕业/i],
  ['certifications', /\b(certif\w*|licen[cs]e)\b|证书|认证/i],
  ['projects', /\b(projects?|portfolio|side work)\b|项目/i],
  ['skills', /\b(skills?|technolog\w*|stack|tools?|programming|languages?|proficient|good at)\b|技能|技术|会什么/i],
  ['experience', /\b(work(ed|s|ing)?|jobs?|employers?|compan(y|ies)|roles?|positions?|career|history)\b|工作|公司|经历|职位/i],
  ['location', /\b(where|based|live[sd]?|located|location|city|country|remote|relocat\w*)\b|哪里|城市|地点|所在/i],
  ['tags', /\b(tags?|labels?)\b|标签/i],
  ['name', /\b(name|called)\b|名字|叫什么/i],
  ['summary', /\b(who is|about|summar\w*|tell me|describe|overview|headline)\b|介绍|简介/i],
];

/** Topics answered together: a summary question gets the headline too. */
const ALSO: Partial<Record<Topic, Topic[]>> = { summary: ['headline', 'summary'], experience: ['experience', 'years'] };

const STOP = new Set('a an the is are was were be been do does did has have had what which who whom whose when where why how of in on at to for from with by and or not her his their them she he they this that it its any some there about can could would should will me my tell please'.split(' '));

export class ExtractiveAnswerer implements Answerer {
  constructor(private readonly skills: () => SkillAliases) {}

  async answer(record: TalentRecord, question: string): Promise<Answer> {
    const aliases = this.skills();
    const named = skillsNamed(words(question), aliases);
    if (named.length) {
      const display = new Map([...aliases.values()].map((name) => [name.toLowerCase(), name]));
      return this.aboutSkills(record, named, (skill) => display.get(skill) ?? skill);
    }
    const topic = TOPICS.find(([, pattern]) => pattern.test(question))?.[0];
    if (topic) return this.aboutTopic(record, topic);
    return this.byWords(record, question);
  }

  /** "Does she know Kubernetes?": each skill named, held (quoted) or not listed. */
  private aboutSkills(record: TalentRecord, named: string[], display: (skill: string) => string): Answer {
    const held = record.facts.filter((fact) => fact.topic === 'skills' && fact.skill && named.includes(fact.skill));
    const missing = [...new Set(named)].filter((skill) => !held.some((fact) => fact.skill === skill)).map(display);
    if (!held.length) return notInRecord(record, 'EXTRACTIVE', `The record does not list ${missing.join(' or ')}.`);
    const text = `${record.name}'s record lists ${held.map((fact) => fact.text).join('; ')}.${missing.length ? ` It does not list ${missing.join(' or ')}.` : ''}`;
    return { text, answered: true, citations: held, source: 'EXTRACTIVE' };
  }

  private aboutTopic(record: TalentRecord, topic: Topic): Answer {
    const topics = ALSO[topic] ?? [topic];
    const facts = record.facts.filter((fact) => topics.includes(fact.topic));
    if (!facts.length) {
      if (PERSONAL_TOPICS.includes(topic) && record.personalDataWithheld) {
        return notInRecord(record, 'EXTRACTIVE', 'This is personal data that only the owning recruiter, the talent and authorised roles may read.');
      }
      return notInRecord(record, 'EXTRACTIVE');
    }
    return { text: quote(record, facts), answered: true, citations: facts, source: 'EXTRACTIVE' };
  }

  /** No topic recognised: the facts sharing the most content words with the question, if any do. */
  private byWords(record: TalentRecord, question: string): Answer {
    const asked = new Set(words(question).filter((word) => !STOP.has(word) && word.length > 1));
    const scored = record.facts
      .map((fact) => ({ fact, shared: new Set(words(fact.text).filter((word) => asked.has(word))).size }))
      .filter((entry) => entry.shared > 0)
      .sort((a, b) => b.shared - a.shared);
    if (!scored.length) return notInRecord(record, 'EXTRACTIVE');
    const best = scored.filter((entry) => entry.shared === scored[0]!.shared).slice(0, 3).map((entry) => entry.fact);
    return { text: quote(record, best), answered: true, citations: best, source: 'EXTRACTIVE' };
  }
}

function quote(record: TalentRecord, facts: readonly Fact[]): string {
  return `From ${record.name}'s record: ${facts.map((fact) => fact.text).join('; ')}.`;
}
