import { ZodError } from 'zod';
import { CaptureLeadBody } from '../../lead/http/lead.dto';

/** The lead fields an import file can fill; every other column is ignored. */
export type ImportField =
  | 'name' | 'company' | 'email' | 'phone' | 'channel' | 'campaign' | 'referrer'
  | 'utm_source' | 'utm_medium' | 'utm_campaign' | 'utm_term' | 'utm_content';

const ALIASES: Record<ImportField, readonly string[]> = {
  name: ['name', 'fullname', 'contact', 'contactname', '姓名', '名字', '联系人', '联系人姓名', '客户姓名'],
  company: ['company', 'companyname', 'organisation', 'organization', 'account', '公司', '公司名称', '单位', '企业', '企业名称'],
  email: ['email', 'emailaddress', 'mail', '邮箱', '电子邮箱', '电子邮件', '邮件', '邮箱地址'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilephone', 'telephone', 'tel', 'cell', '电话', '手机', '手机号', '手机号码', '电话号码', '联系电话', '联系方式'],
  channel: ['channel', 'sourcechannel', 'leadsource', '渠道', '来源渠道', '来源'],
  campaign: ['campaign', 'campaignid', '活动', '营销活动', '活动编号'],
  referrer: ['referrer', 'referer', 'referrerurl'],
  utm_source: ['utmsource'],
  utm_medium: ['utmmedium'],
  utm_campaign: ['utmcampaign'],
  utm_term: ['utmterm'],
  utm_content: ['utmcontent'],
};

/** A header as compared: NFKC (full-width → ASCII), lower case, without spaces, `_`, `-` and `.`. */
export const normaliseHeader = (header: string): string => header.normalize('NFKC').toLowerCase().replace(/[\s_\-.:：]+/g, '');

const BY_ALIAS = new Map<string, ImportField>(
  (Object.entries(ALIASES) as [ImportField, readonly string[]][]).flatMap(([field, aliases]) => aliases.map((a) => [a, field] as const)),
);

/** Which column (index) fills which field; the first column with a recognised header wins. */
export type ColumnMap = { headers: string[]; fields: Map<ImportField, number> };

export const mapColumns = (headers: string[]): ColumnMap => {
  const fields = new Map<ImportField, number>();
  headers.forEach((h, i) => {
    const field = BY_ALIAS.get(normaliseHeader(h));
    if (field && !fields.has(field)) fields.set(field, i);
  });
  return { headers, fields };
};

/** Why the header row cannot be imported, or undefined when it can. */
export const missingColumns = ({ fields }: ColumnMap): string | undefined => {
  if (!fields.has('name')) return 'no name column (name / 姓名)';
  if (!fields.has('email') && !fields.has('phone')) return 'no e-mail or phone column (email / 邮箱, phone / 电话 / 手机)';
  return undefined;
};

export type RowIssue = { column: string; message: string };
export type MappedRow = { ok: true; body: CaptureLeadBody } | { ok: false; issues: RowIssue[] };

/**
 * One data row → the same `CaptureLeadBody` the API validates (so e-mail/phone are normalised
 * by `@crm/identity` exactly as for `POST /v1/leads`). Blank cells count as missing; the channel
 * defaults to `import`.
 */
export const mapRow = (columns: ColumnMap, values: readonly string[]): MappedRow => {
  const cell = (field: ImportField): string | undefined => {
    const i = columns.fields.get(field);
    const v = i === undefined ? undefined : values[i]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const utm = {
    source: cell('utm_source'), medium: cell('utm_medium'), campaign: cell('utm_campaign'), term: cell('utm_term'), content: cell('utm_content'),
  };
  const utmDefined = Object.entries(utm).filter(([, v]) => v !== undefined);
  const input = Object.fromEntries(
    Object.entries({
      name: cell('name'),
      company: cell('company'),
      email: cell('email'),
      phone: cell('phone'),
      channel: cell('channel')?.toLowerCase() ?? 'import',
      campaignId: cell('campaign'),
      referrer: cell('referrer'),
      utm: utmDefined.length > 0 ? Object.fromEntries(utmDefined) : undefined,
    }).filter(([, v]) => v !== undefined),
  );
  const parsed = CaptureLeadBody.safeParse(input);
  if (parsed.success) return { ok: true, body: parsed.data };
  return { ok: false, issues: issuesOf(columns, parsed.error) };
};

const FIELD_OF_PATH: Record<string, ImportField> = { name: 'name', company: 'company', email: 'email', phone: 'phone', channel: 'channel', campaignId: 'campaign', referrer: 'referrer' };

const issuesOf = (columns: ColumnMap, error: ZodError): RowIssue[] =>
  error.issues.map((issue) => {
    const [head, sub] = issue.path.map(String);
    const field: ImportField | undefined = head === 'utm' ? (`utm_${sub}` as ImportField) : FIELD_OF_PATH[head ?? ''];
    const index = field === undefined ? undefined : columns.fields.get(field);
    const column = index === undefined ? (field ?? head ?? '') : columns.headers[index];
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
    return { column, message };
  });

/**
 * The row's identity for idempotency: its normalised e-mail, else its normalised phone. The
 * lead id is derived from it (per tenant), so the same person imported again — from the same
 * file, a renamed copy or another file — addresses the same lead stream and appends nothing.
 */
export const rowIdentityKey = (body: CaptureLeadBody): string =>
  body.email !== undefined ? `lead-import:email:${body.email}` : `lead-import:phone:${body.phone ?? ''}`;
