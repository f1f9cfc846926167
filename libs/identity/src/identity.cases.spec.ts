// A table of real-looking inputs, the folds and normalisations they must give, and a few
// pairs that must (not) match. Names and numbers are made up; formats are the real ones.
import { foldCompanyName } from './company';
import { normalizeEmail } from './email';
import { findMatch } from './match';
import type { MatchRule, MatchableRecord } from './match';
import { foldPersonName } from './person';
import { normalizePhone } from './phone';
import type { CountryCode, PhoneRejection, PhoneType } from './phone';
import type { EmailRejection } from './email';

describe('company names', () => {
  it.each([
    ['北京某某科技有限公司', '北京某某科技'],
    ['上海浦东发展银行股份有限公司', '上海浦东发展银行'],
    ['深圳市某某电子有限责任公司', '深圳市某某电子'],
    ['杭州某某网络集团有限公司', '杭州某某网络'],
    ['某某控股集团', '某某控股'],
    ['中国某某建设集团公司', '中国某某建设'],
    ['腾讯科技（深圳）有限公司', '腾讯科技'],
    ['阿里巴巴(中国)网络技术有限公司', '阿里巴巴网络技术'],
    ['北京某某律师事务所（特殊普通合伙）', '北京某某律师事务所'],
    ['某某科技有限公司上海分公司', '某某科技有限公司上海分公司'],
    ['台灣某某股份有限公司', '台灣某某'],
    ['香港某某集團有限公司', '香港某某'],
    ['北京　某某　科技　有限公司', '北京某某科技'],
    ['ＡＣＭＥ　Ｃｏ．，Ｌｔｄ．', 'acme'],
    ['Acme Co., Ltd.', 'acme'],
    ['ACME Inc.', 'acme'],
    ['Acme Company Limited', 'acme'],
    ['Acme (Shanghai) Co. Ltd', 'acme'],
    ['Globex Corporation', 'globex'],
    ['Initech, L.L.C.', 'initech'],
    ['Umbrella GmbH', 'umbrella'],
    ['Siemens AG', 'siemens'],
    ['Banco Exemplo S.A.', 'banco exemplo'],
    ['Example Holdings PLC', 'example holdings'],
    ['Lion City Trading Pte. Ltd.', 'lion city trading'],
    ["McDonald's Corp.", 'mcdonalds'],
    ['J.P. Morgan & Co. Incorporated', 'jp morgan'],
    ['株式会社サンプル', 'サンプル'],
    ['Acme 软件 有限公司', 'acme软件'],
    ['Limited', 'limited'],
  ])('%j folds to %j', (raw, folded) => {
    expect(foldCompanyName(raw)).toBe(folded);
  });
});

describe('person names', () => {
  it.each([
    ['张 三', '张三'],
    ['  王小明  ', '王小明'],
    ['ＬＩ　Ｌｅｉ', 'li lei'],
    ['Mary  ANN  Smith', 'mary ann smith'],
    ['阿卜杜拉 · 买买提', '阿卜杜拉·买买提'],
  ])('%j folds to %j', (raw, folded) => {
    expect(foldPersonName(raw)).toBe(folded);
  });
});

type PhoneCase = [raw: string, region: CountryCode, e164: string, type: PhoneType, extension?: string];

describe('phone numbers', () => {
  const phoneCases: readonly PhoneCase[] = [
    ['138 0013 8000', 'CN', '+8613800138000', 'mobile'],
    ['+86 138-0013-8000', 'CN', '+8613800138000', 'mobile'],
    ['0086 13800138000', 'CN', '+8613800138000', 'mobile'],
    ['86 138 0013 8000', 'CN', '+8613800138000', 'mobile'],
    ['１３８００１３８０００', 'CN', '+8613800138000', 'mobile'],
    ['＋８６　１３８－００１３－８０００', 'CN', '+8613800138000', 'mobile'],
    ['tel:+86-138-0013-8000', 'CN', '+8613800138000', 'mobile'],
    ['(010) 6552 9988', 'CN', '+861065529988', 'fixed_line'],
    ['010-65529988', 'CN', '+861065529988', 'fixed_line'],
    ['+86 (0)10 6552 9988', 'CN', '+861065529988', 'fixed_line'],
    ['（０２１）５０４９　００００', 'CN', '+862150490000', 'fixed_line'],
    ['0755-8888 8888', 'CN', '+8675588888888', 'fixed_line'],
    ['010-6552 9988 转 8021', 'CN', '+861065529988', 'fixed_line', '8021'],
    ['010 6552 9988 分机 12', 'CN', '+861065529988', 'fixed_line', '12'],
    ['010-65529988 ext. 8021', 'CN', '+861065529988', 'fixed_line', '8021'],
    ['400-810-8888', 'CN', '+864008108888', 'shared_cost'],
    ['400 820 8820', 'CN', '+864008208820', 'shared_cost'],
    ['800-810-8888', 'CN', '+868008108888', 'toll_free'],
    ['+852 9123 4567', 'CN', '+85291234567', 'mobile'],
    ['+852 2123 4567', 'CN', '+85221234567', 'fixed_line'],
    ['00852 9123 4567', 'CN', '+85291234567', 'mobile'],
    ['9123 4567', 'HK', '+85291234567', 'mobile'],
    ['+886 912 345 678', 'CN', '+886912345678', 'mobile'],
    ['+886 2 2345 6789', 'CN', '+886223456789', 'fixed_line'],
    ['0912-345-678', 'TW', '+886912345678', 'mobile'],
    ['+1 (650) 253-0000', 'CN', '+16502530000', 'fixed_line_or_mobile'],
  ];
  // Rows of one length, so Jest never mistakes the optional extension for a `done` callback.
  it.each(phoneCases.map(([raw, region, e164, type, extension]) => [raw, region, e164, type, extension] as const))('%j in %s is %s (%s)', (raw, region, e164, type, extension) => {
    expect(normalizePhone(raw, region)).toMatchObject({ ok: true, value: e164, type, extension });
  });

  it.each<[string, PhoneRejection]>([
    ['', 'empty'],
    ['n/a', 'not_a_number'],
    ['12345', 'too_short'],
    ['95588', 'too_short'],
    ['138 0013 800', 'invalid_number'],
    ['138 0013 80001', 'invalid_number'],
    ['+999 1234 5678', 'invalid_country'],
    ['13800138000 / 13900139000', 'too_long'],
  ])('%j is rejected (%s)', (raw, reason) => {
    expect(normalizePhone(raw)).toEqual({ ok: false, reason });
  });
});

describe('e-mail addresses', () => {
  it.each([
    ['Zhang.San@Example.com', 'zhang.san@example.com'],
    ['  lilei@163.com  ', 'lilei@163.com'],
    ['ｌｉｌｅｉ＠１６３．ｃｏｍ', 'lilei@163.com'],
    ['lilei＠qq.com', 'lilei@qq.com'],
    ['wang。wu@qq。com', 'wang.wu@qq.com'],
    ['SALES@ACME.COM.CN', 'sales@acme.com.cn'],
    ['first.last+crm@gmail.com', 'first.last+crm@gmail.com'],
    ['mailto:Info@Acme.com', 'info@acme.com'],
    ['info@中文网址.中国', 'info@中文网址.中国'],
    ['\u3000info@acme.com\u00a0', 'info@acme.com'],
  ])('%j normalises to %j', (raw, value) => {
    expect(normalizeEmail(raw)).toMatchObject({ ok: true, value });
  });

  it.each<[string, EmailRejection]>([
    ['zhang san@example.com', 'invalid_local_part'],
    ['zhangsan@example', 'invalid_domain'],
    ['zhangsan#example.com', 'missing_at'],
    ['张三@example.com', 'invalid_local_part'],
    ['zhang@@example.com', 'multiple_at'],
  ])('%j is rejected (%s)', (raw, reason) => {
    expect(normalizeEmail(raw)).toEqual({ ok: false, reason });
  });
});

describe('matching', () => {
  const existing: readonly (MatchableRecord & { id: string })[] = [
    { id: 'lead-li', email: 'lilei@163.com', companyName: '北京某某科技有限公司', personName: '李雷' },
    { id: 'contact-han', phone: '+86 139 0013 9000', companyName: 'Acme Co., Ltd.', personName: 'Han Meimei' },
    { id: 'contact-wong', phones: ['+852 9123 4567'], companyName: '香港某某集團有限公司', personName: '黄 大文' },
  ];

  it.each<[string, MatchableRecord, string | undefined, MatchRule | undefined]>([
    ['full-width e-mail', { email: 'ＬＩＬＥＩ＠１６３．ＣＯＭ' }, 'lead-li', 'email'],
    ['national mobile', { phone: '139-0013-9000' }, 'contact-han', 'phone'],
    ['HK number with 00 prefix', { phone: '00852 9123 4567' }, 'contact-wong', 'phone'],
    ['company without suffix, spaced name', { companyName: '北京某某科技', personName: '李 雷' }, 'lead-li', 'company_and_name'],
    ['English suffix variant, case', { companyName: 'ACME Inc.', personName: 'HAN MEIMEI' }, 'contact-han', 'company_and_name'],
    ['same company, other person', { companyName: 'Acme Ltd', personName: 'Li Lei' }, undefined, undefined],
    ['same person, other company', { companyName: 'Globex', personName: 'Han Meimei' }, undefined, undefined],
    ['same number, other extension', { phone: '+86 139 0013 9000 ext. 2' }, undefined, undefined],
  ])('%s', (_case, candidate, id, rule) => {
    const found = findMatch(candidate, existing);
    expect(found?.record.id).toBe(id);
    expect(found?.rule).toBe(rule);
  });
});
