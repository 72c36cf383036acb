import type { DemoCompany, DemoJob, DemoLocation, DemoSkillLevel } from './types.ts';

/**
 * A small bilingual slice of the demo: companies, people and jobs in China whose text mixes
 * English and Chinese, as recruiters using the original system write it. demo/dataset.ts
 * appends it after everything else it generates (so every earlier value stays as it was); ids,
 * contact details, tags, owners and applications come from the same seeded faker.
 * Everything textual is written out here, so search relevance can be judged on known content.
 */

export type CityKey = 'Shanghai' | 'Beijing' | 'Shenzhen';

/** Where each city is: English city and region names, the Chinese name appears in the text. */
export const CITIES: Record<CityKey, { location: Omit<DemoLocation, 'remote'>; chinese: string }> = {
  Shanghai: { location: { city: 'Shanghai', region: 'Shanghai', country: 'CN' }, chinese: '上海' },
  Beijing: { location: { city: 'Beijing', region: 'Beijing', country: 'CN' }, chinese: '北京' },
  Shenzhen: { location: { city: 'Shenzhen', region: 'Guangdong', country: 'CN' }, chinese: '深圳' },
};

export type CompanyKey = 'lingyun' | 'beichen' | 'pengcheng';

export interface SliceCompany extends Omit<DemoCompany, 'id' | 'location'> {
  key: CompanyKey;
  city: CityKey;
}

export const SLICE_COMPANIES: SliceCompany[] = [
  {
    key: 'lingyun',
    name: 'Lingyun Fintech 凌云金融科技',
    industry: 'Fintech',
    size: 'LARGE',
    website: 'https://lingyun-fintech.example',
    city: 'Shanghai',
    description: 'Payments and trading infrastructure for banks across Asia. 为亚洲各地银行提供支付与交易基础设施，总部位于上海。',
  },
  {
    key: 'beichen',
    name: 'Beichen Data 北辰数据',
    industry: 'Software',
    size: 'MEDIUM',
    website: 'https://beichen-data.example',
    city: 'Beijing',
    description: 'Data platforms and applied AI for retailers and logistics firms. 面向零售与物流企业的数据平台和人工智能应用，总部位于北京。',
  },
  {
    key: 'pengcheng',
    name: 'Pengcheng Commerce 鹏城电商',
    industry: 'E-commerce',
    size: 'ENTERPRISE',
    website: 'https://pengcheng-commerce.example',
    city: 'Shenzhen',
    description: 'A mobile-first marketplace serving forty million shoppers. 服务四千万用户的移动电商平台，总部位于深圳。',
  },
];

/** The generator's achievements in English, each with its Chinese rendering. */
export const ACHIEVEMENTS_ZH: [string, string][] = [
  ['Led the migration of a monolith to independently deployable services', '主导单体应用向可独立部署的微服务迁移'],
  ['Cut page load times by 40% through profiling and caching', '通过性能分析和缓存将页面加载时间缩短40%'],
  ['Built the internal platform that three product teams now ship on', '搭建了三个产品团队共用的内部平台'],
  ['Mentored four junior engineers through their first year', '指导四名初级工程师度过入职第一年'],
  ['Designed the data model behind the company\'s core product', '设计了公司核心产品背后的数据模型'],
  ['Introduced automated testing that halved the regression rate', '引入自动化测试，使回归缺陷率减半'],
  ['Ran the on-call rotation and wrote the incident playbooks', '负责值班轮换并编写故障处理手册'],
  ['Shipped the mobile app from prototype to 100k monthly users', '将移动应用从原型做到月活十万'],
];

export type SkillSpec = [name: string, level: DemoSkillLevel, years: number];

export interface SliceTalent {
  /** Family name first, as written in China: "Wang Fang" is Ms Wang. */
  family: string;
  given: string;
  /** The name in Chinese characters. */
  chinese: string;
  city: CityKey;
  headline: string;
  /** What the resume is titled for (the generator's "track title"). */
  title: string;
  /** A Chinese sentence closing the summary. */
  summaryZh: string;
  years: number;
  education: { institution: string; degree: string; field: string };
  /** Newest first; a CompanyKey names a slice company, any other string a company outside the demo. */
  experience: { company: CompanyKey | string; title: string; from: string; to: string | null }[];
  skills: SkillSpec[];
}

export const SLICE_TALENTS: SliceTalent[] = [
  {
    family: 'Wang', given: 'Fang', chinese: '王芳', city: 'Shanghai',
    headline: 'Senior TypeScript Engineer · 高级 TypeScript 工程师',
    title: 'Senior TypeScript Engineer',
    summaryZh: '现居上海，九年 TypeScript 与 React 开发经验，负责交易终端前端与 BFF 层。',
    years: 9,
    education: { institution: 'Fudan University 复旦大学', degree: 'BSc', field: 'Computer Science' },
    experience: [
      { company: 'lingyun', title: 'Senior TypeScript Engineer · 高级 TypeScript 工程师', from: '2021-03', to: null },
      { company: 'pengcheng', title: 'Frontend Engineer · 前端工程师', from: '2017-07', to: '2021-02' },
    ],
    skills: [['TypeScript', 'EXPERT', 9], ['React', 'ADVANCED', 7], ['Node.js', 'ADVANCED', 6], ['GraphQL', 'INTERMEDIATE', 4], ['Next.js', 'ADVANCED', 5]],
  },
  {
    family: 'Chen', given: 'Jing', chinese: '陈静', city: 'Shanghai',
    headline: 'Senior Frontend Engineer · 高级前端工程师',
    title: 'Senior Frontend Engineer',
    summaryZh: '现居上海，专注于 Vue 与 TypeScript 的大型前端应用。',
    years: 8,
    education: { institution: 'Shanghai Jiao Tong University 上海交通大学', degree: 'MSc', field: 'Computer Science' },
    experience: [
      { company: 'lingyun', title: 'Senior Frontend Engineer · 高级前端工程师', from: '2022-01', to: null },
      { company: 'Xinghe Networks 星河网络', title: 'Web Developer · 网页开发工程师', from: '2016-09', to: '2021-12' },
    ],
    skills: [['TypeScript', 'ADVANCED', 6], ['Vue.js', 'EXPERT', 8], ['React', 'INTERMEDIATE', 3], ['CSS', 'ADVANCED', 8], ['Vite', 'INTERMEDIATE', 3]],
  },
  {
    family: 'Zhang', given: 'Wei', chinese: '张伟', city: 'Shanghai',
    headline: 'Senior Java Engineer · 高级 Java 工程师',
    title: 'Senior Java Engineer',
    summaryZh: '现居上海，负责核心交易系统的 Java 微服务。',
    years: 11,
    education: { institution: 'Zhejiang University 浙江大学', degree: 'BEng', field: 'Information Systems' },
    experience: [
      { company: 'lingyun', title: 'Senior Java Engineer · 高级 Java 工程师', from: '2019-05', to: null },
      { company: 'pengcheng', title: 'Backend Engineer · 后端工程师', from: '2014-07', to: '2019-04' },
    ],
    skills: [['Java', 'EXPERT', 11], ['Spring Boot', 'EXPERT', 9], ['Microservices', 'ADVANCED', 7], ['Apache Kafka', 'ADVANCED', 5], ['MySQL', 'ADVANCED', 10], ['Redis', 'INTERMEDIATE', 6]],
  },
  {
    family: 'Liu', given: 'Yang', chinese: '刘洋', city: 'Shanghai',
    headline: 'Lead Backend Engineer · 后端技术负责人',
    title: 'Lead Backend Engineer',
    summaryZh: '现居上海，带领六人的 Node.js 后端团队。',
    years: 10,
    education: { institution: 'Tongji University 同济大学', degree: 'MSc', field: 'Computer Science' },
    experience: [
      { company: 'lingyun', title: 'Lead Backend Engineer · 后端技术负责人', from: '2020-08', to: null },
      { company: 'beichen', title: 'API Engineer · 接口开发工程师', from: '2015-03', to: '2020-07' },
    ],
    skills: [['TypeScript', 'ADVANCED', 7], ['Node.js', 'EXPERT', 9], ['Go', 'INTERMEDIATE', 3], ['PostgreSQL', 'ADVANCED', 8], ['GraphQL', 'ADVANCED', 5], ['Docker', 'INTERMEDIATE', 5]],
  },
  {
    family: 'Zhou', given: 'Min', chinese: '周敏', city: 'Shanghai',
    headline: 'Junior Product Designer · 初级产品设计师',
    title: 'Product Designer',
    summaryZh: '现居上海，负责移动端支付流程的交互设计。',
    years: 2,
    education: { institution: 'Tongji University 同济大学', degree: 'BA', field: 'Design' },
    experience: [
      { company: 'lingyun', title: 'Product Designer · 产品设计师', from: '2023-09', to: null },
    ],
    skills: [['Figma', 'ADVANCED', 3], ['UX Design', 'INTERMEDIATE', 2], ['UI Design', 'INTERMEDIATE', 2], ['Accessibility', 'BEGINNER', 1]],
  },
  {
    family: 'Li', given: 'Na', chinese: '李娜', city: 'Beijing',
    headline: 'Senior Machine Learning Engineer · 高级机器学习工程师',
    title: 'Senior Machine Learning Engineer',
    summaryZh: '现居北京，研究中文自然语言处理与大语言模型。',
    years: 10,
    education: { institution: 'Peking University 北京大学', degree: 'PhD', field: 'Computer Science' },
    experience: [
      { company: 'beichen', title: 'Senior Machine Learning Engineer · 高级机器学习工程师', from: '2020-02', to: null },
      { company: 'Zhiyuan AI Lab 智源实验室', title: 'Machine Learning Engineer · 机器学习工程师', from: '2016-07', to: '2020-01' },
    ],
    skills: [['Python', 'EXPERT', 10], ['PyTorch', 'ADVANCED', 6], ['Natural Language Processing', 'EXPERT', 7], ['Large Language Models', 'ADVANCED', 3], ['MLOps', 'INTERMEDIATE', 3]],
  },
  {
    family: 'Zhao', given: 'Lei', chinese: '赵磊', city: 'Beijing',
    headline: 'Staff Analytics Engineer · 资深数据分析工程师',
    title: 'Staff Analytics Engineer',
    summaryZh: '现居北京，搭建实时数据仓库与指标体系。',
    years: 12,
    education: { institution: 'Tsinghua University 清华大学', degree: 'MSc', field: 'Mathematics' },
    experience: [
      { company: 'beichen', title: 'Staff Analytics Engineer · 资深数据分析工程师', from: '2018-04', to: null },
      { company: 'pengcheng', title: 'Analytics Engineer · 数据分析工程师', from: '2013-07', to: '2018-03' },
    ],
    skills: [['Python', 'ADVANCED', 8], ['SQL', 'EXPERT', 12], ['Apache Spark', 'ADVANCED', 6], ['dbt', 'ADVANCED', 4], ['ClickHouse', 'INTERMEDIATE', 3], ['Data Modeling', 'EXPERT', 9]],
  },
  {
    family: 'Sun', given: 'Hao', chinese: '孙浩', city: 'Beijing',
    headline: 'Mid-level TypeScript Engineer · 中级 TypeScript 工程师',
    title: 'TypeScript Engineer',
    summaryZh: '现居北京，三年 TypeScript 开发经验。',
    years: 3,
    education: { institution: 'Beihang University 北京航空航天大学', degree: 'BSc', field: 'Computer Science' },
    experience: [
      { company: 'beichen', title: 'Frontend Engineer · 前端工程师', from: '2022-07', to: null },
    ],
    skills: [['TypeScript', 'INTERMEDIATE', 3], ['React', 'INTERMEDIATE', 3], ['Node.js', 'BEGINNER', 1], ['Jest', 'INTERMEDIATE', 2]],
  },
  {
    family: 'Huang', given: 'Jie', chinese: '黄杰', city: 'Shenzhen',
    headline: 'Senior Site Reliability Engineer · 高级 SRE 工程师',
    title: 'Senior Site Reliability Engineer',
    summaryZh: '现居深圳，负责上千个节点的 Kubernetes 集群与监控体系。',
    years: 12,
    education: { institution: 'Sun Yat-sen University 中山大学', degree: 'BEng', field: 'Computer Science' },
    experience: [
      { company: 'pengcheng', title: 'Senior Site Reliability Engineer · 高级 SRE 工程师', from: '2018-10', to: null },
      { company: 'Xinghe Networks 星河网络', title: 'DevOps Engineer · 运维开发工程师', from: '2012-07', to: '2018-09' },
    ],
    skills: [['Kubernetes', 'EXPERT', 8], ['Go', 'ADVANCED', 6], ['Prometheus', 'ADVANCED', 6], ['Terraform', 'INTERMEDIATE', 4], ['Linux', 'EXPERT', 12], ['Site Reliability Engineering', 'EXPERT', 8]],
  },
  {
    family: 'Wu', given: 'Xiaoling', chinese: '吴晓玲', city: 'Shenzhen',
    headline: 'Senior Android Developer · 高级安卓开发工程师',
    title: 'Senior Android Developer',
    summaryZh: '现居深圳，负责电商 App 的安卓客户端。',
    years: 10,
    education: { institution: 'South China University of Technology 华南理工大学', degree: 'BEng', field: 'Computer Science' },
    experience: [
      { company: 'pengcheng', title: 'Senior Android Developer · 高级安卓开发工程师', from: '2016-03', to: null },
    ],
    skills: [['Kotlin', 'EXPERT', 8], ['Android', 'EXPERT', 10], ['Jetpack Compose', 'ADVANCED', 4], ['Java', 'ADVANCED', 10], ['Git', 'ADVANCED', 10]],
  },
  {
    family: 'Xu', given: 'Tao', chinese: '徐涛', city: 'Shenzhen',
    headline: 'Senior TypeScript Engineer · 高级 TypeScript 工程师',
    title: 'Senior TypeScript Engineer',
    summaryZh: '现居深圳，曾在上海工作三年，擅长 React Native 跨端开发。',
    years: 9,
    education: { institution: 'Wuhan University 武汉大学', degree: 'BSc', field: 'Information Systems' },
    experience: [
      { company: 'pengcheng', title: 'Senior TypeScript Engineer · 高级 TypeScript 工程师', from: '2019-01', to: null },
      { company: 'lingyun', title: 'Web Developer · 网页开发工程师', from: '2015-07', to: '2018-12' },
    ],
    skills: [['TypeScript', 'ADVANCED', 7], ['React', 'ADVANCED', 6], ['React Native', 'ADVANCED', 4], ['Node.js', 'INTERMEDIATE', 4]],
  },
];

export interface SliceJob extends Pick<DemoJob, 'title' | 'description' | 'employmentType' | 'statusPath'> {
  company: CompanyKey;
  remote: boolean;
  requiredSkills: [name: string, level: Exclude<DemoSkillLevel, 'BEGINNER'>][];
  /** Monthly pay in CNY, as Chinese job ads state it; null for none. */
  monthly: [min: number, max: number] | null;
}

export const SLICE_JOBS: SliceJob[] = [
  {
    company: 'lingyun',
    title: 'Senior Java Engineer / 高级 Java 工程师',
    description: 'Build the core trading system of a payments leader. 我们正在招聘高级 Java 工程师，负责核心交易系统的设计与开发。工作地点：上海。',
    requiredSkills: [['Java', 'EXPERT'], ['Spring Boot', 'ADVANCED'], ['Microservices', 'ADVANCED'], ['Apache Kafka', 'INTERMEDIATE'], ['MySQL', 'ADVANCED']],
    employmentType: 'FULL_TIME', remote: false, monthly: [40_000, 60_000], statusPath: ['DRAFT', 'OPEN'],
  },
  {
    company: 'lingyun',
    title: 'Senior TypeScript Engineer / 高级 TypeScript 工程师',
    description: 'Own the web trading terminal end to end with React and Node.js. 负责交易终端前端与 BFF 层，技术栈 TypeScript、React、Node.js。工作地点：上海。',
    requiredSkills: [['TypeScript', 'EXPERT'], ['React', 'ADVANCED'], ['Node.js', 'ADVANCED'], ['GraphQL', 'INTERMEDIATE']],
    employmentType: 'FULL_TIME', remote: false, monthly: [35_000, 55_000], statusPath: ['DRAFT', 'OPEN'],
  },
  {
    company: 'lingyun',
    title: 'Product Designer / 产品设计师',
    description: 'Design payment flows used by millions. 设计服务数百万用户的支付流程。工作地点：上海。',
    requiredSkills: [['Figma', 'ADVANCED'], ['UX Design', 'ADVANCED'], ['UI Design', 'INTERMEDIATE']],
    employmentType: 'FULL_TIME', remote: false, monthly: [25_000, 35_000], statusPath: ['DRAFT', 'OPEN', 'CLOSED'],
  },
  {
    company: 'beichen',
    title: 'Machine Learning Engineer / 机器学习工程师',
    description: 'Train and ship Chinese NLP models and LLM features. 训练并上线中文自然语言处理模型和大语言模型应用。工作地点：北京。',
    requiredSkills: [['Python', 'EXPERT'], ['PyTorch', 'ADVANCED'], ['Natural Language Processing', 'ADVANCED'], ['Large Language Models', 'INTERMEDIATE']],
    employmentType: 'FULL_TIME', remote: false, monthly: [45_000, 70_000], statusPath: ['DRAFT', 'OPEN'],
  },
  {
    company: 'beichen',
    title: '数据工程师 (Data Engineer)',
    description: 'Build batch and streaming pipelines into our warehouse. 负责离线与实时数据管道及数据仓库建设。工作地点：北京。',
    requiredSkills: [['Python', 'ADVANCED'], ['Apache Spark', 'ADVANCED'], ['Apache Kafka', 'INTERMEDIATE'], ['SQL', 'ADVANCED'], ['ETL', 'ADVANCED']],
    employmentType: 'FULL_TIME', remote: false, monthly: [30_000, 50_000], statusPath: ['DRAFT', 'OPEN'],
  },
  {
    company: 'beichen',
    title: 'Frontend Engineer (TypeScript)',
    description: 'Build the dashboards of our data platform in TypeScript and React. Hybrid, from our Beijing office.',
    requiredSkills: [['TypeScript', 'ADVANCED'], ['React', 'ADVANCED'], ['CSS', 'INTERMEDIATE']],
    employmentType: 'CONTRACT', remote: false, monthly: null, statusPath: ['DRAFT', 'OPEN', 'FILLED'],
  },
  {
    company: 'pengcheng',
    title: 'Senior Site Reliability Engineer / 高级 SRE 工程师',
    description: 'Keep a marketplace of forty million shoppers up through every sales festival. 保障双十一等大促期间的系统稳定性，负责 Kubernetes 集群与监控体系。工作地点：深圳。',
    requiredSkills: [['Kubernetes', 'EXPERT'], ['Go', 'ADVANCED'], ['Prometheus', 'ADVANCED'], ['Site Reliability Engineering', 'ADVANCED']],
    employmentType: 'FULL_TIME', remote: false, monthly: [40_000, 65_000], statusPath: ['DRAFT', 'OPEN'],
  },
  {
    company: 'pengcheng',
    title: '高级安卓开发工程师 Senior Android Developer',
    description: 'Own the Android shopping app used by millions. 负责千万级用户的安卓购物 App，使用 Kotlin 与 Jetpack Compose。工作地点：深圳。',
    requiredSkills: [['Kotlin', 'ADVANCED'], ['Android', 'EXPERT'], ['Jetpack Compose', 'ADVANCED']],
    employmentType: 'FULL_TIME', remote: false, monthly: [35_000, 55_000], statusPath: ['DRAFT', 'OPEN'],
  },
  {
    company: 'pengcheng',
    title: 'Backend Engineer (Go) / 后端开发工程师',
    description: 'Go microservices for orders and payments. 使用 Go 开发订单与支付微服务。工作地点：深圳，可远程。',
    requiredSkills: [['Go', 'ADVANCED'], ['Microservices', 'ADVANCED'], ['Redis', 'INTERMEDIATE'], ['MySQL', 'INTERMEDIATE']],
    employmentType: 'FULL_TIME', remote: true, monthly: [30_000, 50_000], statusPath: ['DRAFT', 'OPEN'],
  },
];
