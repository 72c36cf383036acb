import { FAKE_ZERVIGO_COMPANIES, FAKE_ZERVIGO_JOBS } from './catalog.ts';
import { failure, ok, type Route } from './http.ts';

/** The company service: the seeded companies, read-only. */
export function companyRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/v1/companies/:id',
      handle({ params }) {
        const company = FAKE_ZERVIGO_COMPANIES.find((candidate) => candidate.id === params.id);
        return company ? ok(company) : failure(404, `no company ${JSON.stringify(params.id)}`);
      },
    },
  ];
}

/** The job service: the seeded jobs, read-only. */
export function jobRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/v1/jobs/:id',
      handle({ params }) {
        const job = FAKE_ZERVIGO_JOBS.find((candidate) => candidate.id === params.id);
        return job ? ok(job) : failure(404, `no job ${JSON.stringify(params.id)}`);
      },
    },
  ];
}
