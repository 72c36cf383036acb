import type { ZervigoCompany, ZervigoJob } from '../../platform/zervigo-client.ts';

/** A seeded job: the wire shape plus the skills the AI service matches against (Zervigo sends them too). */
export interface CatalogJob extends ZervigoJob {
  skills: string[];
}

export const FAKE_ZERVIGO_COMPANIES: readonly ZervigoCompany[] = [
  { id: 'zco-1', name: 'Northwind Labs' },
  { id: 'zco-2', name: 'Brightpath Health' },
  { id: 'zco-3', name: 'Kestrel Logistics' },
];

const job = (id: string, title: string, companyId: string | null, location: string | null, skills: string[]): CatalogJob => ({
  id,
  title,
  company_id: companyId,
  location,
  url: `https://jobs.zervigo.example/${id}`,
  skills,
});

export const FAKE_ZERVIGO_JOBS: readonly CatalogJob[] = [
  job('zj-1', 'Senior TypeScript Engineer', 'zco-1', 'Berlin', ['TypeScript', 'GraphQL', 'PostgreSQL']),
  job('zj-2', 'Frontend Developer', 'zco-1', 'Remote', ['React', 'TypeScript', 'CSS']),
  job('zj-3', 'Data Engineer', 'zco-2', 'Amsterdam', ['Python', 'SQL', 'Airflow', 'PostgreSQL']),
  job('zj-4', 'Machine Learning Engineer', 'zco-2', 'London', ['Python', 'PyTorch', 'Machine Learning']),
  job('zj-5', 'Platform Engineer', 'zco-3', 'Hamburg', ['Kubernetes', 'Go', 'Terraform']),
  job('zj-6', 'Backend Java Developer', 'zco-3', null, ['Java', 'Spring', 'PostgreSQL']),
  // Beyond engineering's core, so most demo talents get a match in the README's walkthrough.
  job('zj-7', 'iOS Developer', 'zco-2', 'Munich', ['Swift', 'SwiftUI', 'iOS', 'REST APIs']),
  job('zj-8', 'Android Developer', 'zco-3', 'Remote', ['Kotlin', 'Android', 'Jetpack Compose']),
  job('zj-9', 'Product Designer', 'zco-1', 'Berlin', ['Figma', 'UI Design', 'Accessibility', 'User Research']),
  job('zj-10', 'Python Backend Developer', 'zco-2', 'Remote', ['Python', 'Django', 'FastAPI', 'REST APIs']),
  job('zj-11', 'Node.js Engineer', 'zco-1', 'Amsterdam', ['Node.js', 'TypeScript', 'Express', 'REST APIs']),
  job('zj-12', 'Cloud Engineer', 'zco-3', 'Hamburg', ['AWS', 'Docker', 'Kubernetes', 'Linux']),
];
