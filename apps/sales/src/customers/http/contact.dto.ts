import { ContactRole, Utm } from '@crm/contracts';
import { z } from 'zod';
import { DuplicateMatchResponse, emailField, idField, onDuplicateOnCreate, onDuplicateOnUpdate, phoneField, tagsField, text } from './customer-fields.dto';

const profile = {
  name: text(200),
  accountId: idField('account').optional(),
  title: text(200).optional(),
  role: ContactRole.optional(),
  decisionMaker: z.boolean().optional(),
  phone: phoneField.optional(),
  email: emailField.optional(),
  wecomId: text(100).optional(),
  wechatId: text(100).optional(),
  ownerId: text(100).optional(),
  teamId: text(100).optional(),
  tags: tagsField.optional(),
};

export const CreateContactBody = z.object({ ...profile, decisionMaker: z.boolean().default(false), onDuplicate: onDuplicateOnCreate }).strict();
export type CreateContactBody = z.infer<typeof CreateContactBody>;

export const CheckContactDuplicatesBody = CreateContactBody.omit({ onDuplicate: true });
export type CheckContactDuplicatesBody = z.infer<typeof CheckContactDuplicatesBody>;

export const UpdateContactBody = z
  .object({
    name: profile.name.optional(),
    accountId: profile.accountId.nullable(),
    title: profile.title.nullable(),
    role: profile.role.nullable(),
    decisionMaker: profile.decisionMaker,
    phone: profile.phone.nullable(),
    email: profile.email.nullable(),
    wecomId: profile.wecomId.nullable(),
    wechatId: profile.wechatId.nullable(),
    ownerId: profile.ownerId.nullable(),
    teamId: profile.teamId.nullable(),
    tags: profile.tags,
    onDuplicate: onDuplicateOnUpdate,
  })
  .strict()
  .refine(({ onDuplicate: _, ...changes }) => Object.values(changes).some((v) => v !== undefined), { message: 'nothing to change' });
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const ContactIdParam = idField('contact');

export const ContactResponse = z.object({
  id: z.string(),
  name: z.string(),
  accountId: z.string().optional(),
  title: z.string().optional(),
  role: ContactRole.optional(),
  decisionMaker: z.boolean(),
  phone: z.string().optional(),
  email: z.string().optional(),
  wecomId: z.string().optional(),
  wechatId: z.string().optional(),
  ownerId: z.string().optional(),
  teamId: z.string().optional(),
  tags: z.array(z.string()),
  fromLeadId: z.string().optional(),
  status: z.enum(['active', 'merged']),
  mergedInto: z.string().optional(),
  mergedIds: z.array(z.string()),
  createdAt: z.string(),
  /** The latest capture of this person through a marketing channel (a web form, the leads API, …), from `sales.ContactEngaged`. */
  lastEngagement: z.object({
    channel: z.string(),
    campaignId: z.string().optional(),
    utm: Utm.optional(),
    formId: z.string().optional(),
    captureId: z.string(),
    at: z.string(),
  }).optional(),
  revision: z.number().int(),
});
export type ContactResponse = z.infer<typeof ContactResponse>;

export const ContactDuplicatesResponse = z.object({ matches: z.array(DuplicateMatchResponse) });
