/**
 * The inspection-item catalogue (检查事项清单) and departments the simulator serves as reference
 * data and uses for tasks. The lenient-enforcement list built from it is in lenient-list.ts.
 */
import type { CheckItem } from '../../../shared/protocol/index.js';

export const DEPARTMENTS = [
  { code: 'DJZC', name: '登记注册科' },
  { code: 'XYJG', name: '信用监督管理科' },
  { code: 'SPSC', name: '食品生产安全监督管理科' },
  { code: 'SPJY', name: '食品经营安全监督管理科' },
  { code: 'TZSB', name: '特种设备安全监察科' },
] as const;
type DeptCode = (typeof DEPARTMENTS)[number]['code'];

function deptName(code: DeptCode): string {
  return DEPARTMENTS.find((d) => d.code === code)?.name ?? code;
}

type Row = readonly [code: string, name: string, basis: string, key: boolean];

function items(dept: DeptCode, method: string, rows: readonly Row[]): CheckItem[] {
  return rows.map(([code, name, legalBasis, key]) => ({
    code,
    name,
    department: dept,
    departmentName: deptName(dept),
    legalBasis,
    method,
    key,
  }));
}

const REG_BASIS = '《市场主体登记管理条例》及其实施细则';
export const REGISTRATION_ITEMS = items('DJZC', '实地核查', [
  ['N001', '名称与核准登记不相符', REG_BASIS, false],
  ['N002', '住所（经营场所）与核准登记不相符', REG_BASIS, true],
  ['N003', '法定代表人与核准登记不相符', REG_BASIS, false],
  ['N004', '注册资本与核准登记不相符', REG_BASIS, false],
  ['N010', '营业执照未置于住所或营业场所醒目位置', '《市场主体登记管理条例》第三十六条', false],
  ['N011', '超出核准登记经营范围或前置审批不符', REG_BASIS, true],
  ['N012', '伪造、涂改、出租、出借、转让营业执照', '《市场主体登记管理条例》第三十七条', true],
  ['N014', '许可证件有效性', REG_BASIS, false],
]);

const PUB_BASIS = '《企业信息公示暂行条例》';
export const PUBLICITY_ITEMS = items('XYJG', '书面检查', [
  ['GS01', '即时信息：股东认缴出资', `${PUB_BASIS}第十条`, false],
  ['GS02', '即时信息：股东实缴出资', `${PUB_BASIS}第十条`, false],
  ['GS04', '即时信息：行政许可取得、变更、延续', `${PUB_BASIS}第十条`, false],
  ['GS10', '年报信息：登记住所', `${PUB_BASIS}第九条`, true],
  ['GS13', '年报信息：联系电话', `${PUB_BASIS}第九条`, false],
  ['GS15', '年报信息：企业状态', `${PUB_BASIS}第九条`, false],
  ['GS24', '年报信息：资产总额', `${PUB_BASIS}第九条`, false],
  ['GS30', '年报信息：从业人员', `${PUB_BASIS}第九条`, false],
]);

const FOOD_BASIS = '《食品生产经营监督检查管理办法》第十五条';
export const FOOD_PRODUCTION_ITEMS = items('SPSC', '实地检查', [
  ['SP01', '生产者资质', FOOD_BASIS, true],
  ['SP02', '生产环境条件', FOOD_BASIS, false],
  ['SP03', '进货查验', FOOD_BASIS, true],
  ['SP04', '生产过程控制', FOOD_BASIS, true],
  ['SP05', '产品检验', FOOD_BASIS, true],
  ['SP06', '贮存及交付控制', FOOD_BASIS, false],
  ['SP07', '不合格品管理和食品召回', FOOD_BASIS, true],
  ['SP08', '标签和说明书', FOOD_BASIS, false],
  ['SP09', '食品安全自查', FOOD_BASIS, false],
  ['SP10', '从业人员管理', FOOD_BASIS, false],
  ['SP11', '信息记录和追溯', FOOD_BASIS, false],
  ['SP12', '食品安全事故处置', FOOD_BASIS, false],
]);

export const SPECIAL_EQUIPMENT_ITEMS = items('TZSB', '实地检查', [
  ['TZ01', '特种设备使用登记及登记标志', '《特种设备安全法》第三十三条', true],
  ['TZ02', '安全管理制度和操作规程', '《特种设备安全法》第三十四条', false],
  ['TZ03', '安全技术档案', '《特种设备安全法》第三十五条', false],
  ['TZ04', '安全总监、安全员配备及日管控周排查月调度', '《特种设备安全法》第三十六条', false],
  ['TZ05', '作业人员持证上岗', '《特种设备安全法》第十四条', true],
  ['TZ06', '维护保养和定期自行检查', '《特种设备安全法》第三十九条', false],
  ['TZ07', '定期检验及检验标志', '《特种设备安全法》第四十条', true],
  ['TZ08', '安全附件、安全保护装置校验检修', '《特种设备安全法》第八十三条', false],
  ['TZ09', '应急专项预案', '《特种设备安全法》第八十三条', false],
]);

export const ALL_ITEMS: readonly CheckItem[] = [
  ...REGISTRATION_ITEMS,
  ...PUBLICITY_ITEMS,
  ...FOOD_PRODUCTION_ITEMS,
  ...SPECIAL_EQUIPMENT_ITEMS,
];
