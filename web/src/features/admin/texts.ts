// The administration's texts: the frame's here, each group of sections' beside its code.
import type { Texts } from '../../shared/i18n/en';
import { peopleEn, peopleZh } from './people/texts';
import { rulesEn, rulesZh } from './rules/texts';

export const adminZh = {
  sections: {
    units: '单位', staff: '人员', keys: '接口密钥', audit: '审计日志',
    taxonomy: '分类体系', settings: '时限设置', calendar: '节假日', classifier: '智能分类',
  },
  people: peopleZh,
  rules: rulesZh,
};

export const adminEn: Texts<typeof adminZh> = {
  sections: {
    units: 'Units', staff: 'Staff', keys: 'API keys', audit: 'Audit log',
    taxonomy: 'Category tree', settings: 'Deadlines', calendar: 'Holidays', classifier: 'Classifier',
  },
  people: peopleEn,
  rules: rulesEn,
};
