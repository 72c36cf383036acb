import { badInput, notFound } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { id, location, optionalText, optionalUrl, requiredText } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { CompanyFields } from '../store.ts';

type Context = SubgraphContext<Stores>;
type CompanyInput = Partial<CompanyFields>;

/** Validates only the fields present, so an update changes exactly what the client sent. */
function validFields(input: CompanyInput): Partial<CompanyFields> {
  const fields: Partial<CompanyFields> = {};
  if ('name' in input) fields.name = requiredText(input.name, 'name');
  if ('industry' in input) fields.industry = optionalText(input.industry, 'industry', 100);
  if ('size' in input) fields.size = input.size ?? null;
  if ('website' in input) fields.website = optionalUrl(input.website, 'website');
  if ('location' in input) fields.location = location(input.location);
  if ('description' in input) fields.description = optionalText(input.description, 'description');
  return fields;
}

export const Mutation = {
  async createCompany(_: unknown, args: { input: CompanyInput }, ctx: Context) {
    const fields = validFields(args.input);
    if (!fields.name) throw badInput('name is required', 'name');
    return ctx.stores.companies.create({
      name: fields.name,
      industry: fields.industry ?? null,
      size: fields.size ?? null,
      website: fields.website ?? null,
      location: fields.location ?? null,
      description: fields.description ?? null,
    });
  },

  async updateCompany(_: unknown, args: { id: string; input: CompanyInput }, ctx: Context) {
    const company = await ctx.stores.companies.update(id(args.id), validFields(args.input));
    if (!company) throw notFound('Company', args.id);
    await ctx.loaders.invalidate('Company', [company.id]);
    return company;
  },

  async deleteCompany(_: unknown, args: { id: string }, ctx: Context) {
    const companyId = id(args.id);
    if (!(await ctx.stores.companies.delete(companyId))) throw notFound('Company', args.id);
    await ctx.loaders.invalidate('Company', [companyId]);
    return args.id;
  },
};
