/**
 * Demo seed of the special-equipment "5·25" responsibility list (SAMR Order 74, 2023): five levels of
 * responsible people in a special-equipment user and 25 duties (five per level), served to the app as
 * a versioned check template in reference data. The wording is the app's own summary, not the
 * official text: a local office serves its own list instead.
 */
import type { CheckTemplate } from '../../../shared/protocol/index.js';
import { SE525_DEPARTMENT, SE525_TEMPLATE_ID } from '../../../shared/domain/se-525.js';

export const SE525_LEVELS = [
  { level: 1, role: '主要负责人' },
  { level: 2, role: '安全总监' },
  { level: 3, role: '安全管理负责人' },
  { level: 4, role: '安全员' },
  { level: 5, role: '作业人员' },
] as const;
type Se525Level = (typeof SE525_LEVELS)[number]['level'];

interface Se525Duty {
  readonly code: string;
  readonly level: Se525Level;
  readonly duty: string;
}

const DUTIES: Readonly<Record<Se525Level, readonly string[]>> = {
  1: [
    '对本单位特种设备使用安全全面负责，建立并落实安全责任制',
    '按规定配备安全总监、安全员并保障其履职条件',
    '保障特种设备安全投入，提供必要的人员、经费和物资',
    '听取安全总监汇报，研究解决重大安全问题（月调度）',
    '组织制定并实施事故应急专项预案，发生事故时组织救援',
  ],
  2: [
    '协助主要负责人履行安全职责，组织落实安全管理制度',
    '组织制定安全管理制度、岗位责任制和操作规程',
    '组织每周安全排查，督促隐患整改并形成记录（周排查）',
    '每月向主要负责人报告安全状况，提出改进建议',
    '组织安全教育培训和应急演练',
  ],
  3: [
    '组织办理使用登记、变更和停用、报废手续',
    '建立并保管特种设备安全技术档案',
    '按期申报定期检验，检验合格后方可继续使用',
    '落实维护保养单位和自行检查计划，核查保养记录',
    '组织安全附件、安全保护装置的校验和检修',
  ],
  4: [
    '每日巡检特种设备运行状况并记录（日管控）',
    '检查登记标志、检验标志和安全注意事项的张贴',
    '发现隐患立即处置，不能处置的及时报告',
    '核查作业人员持证上岗情况，制止违章作业',
    '记录日常使用、故障和维修情况',
  ],
  5: [
    '取得相应资格，持证上岗',
    '严格执行操作规程和安全管理制度',
    '作业前检查设备和安全附件，确认正常后方可作业',
    '作业中发现异常立即停止作业并报告',
    '参加安全教育培训和应急演练',
  ],
};

export const SE525_DUTIES: readonly Se525Duty[] = SE525_LEVELS.flatMap(({ level }) =>
  DUTIES[level].map((duty, i) => ({ code: `SE525-${String((level - 1) * 5 + i + 1).padStart(2, '0')}`, level, duty })),
);

function role(level: Se525Level): string {
  return SE525_LEVELS.find((l) => l.level === level)?.role ?? '';
}

export const SE525_TEMPLATE: CheckTemplate = {
  id: SE525_TEMPLATE_ID,
  version: '2023.1-demo',
  title: '“5·25”安全责任清单（自拟模板，非官方文本）',
  department: `${SE525_DEPARTMENT.code}-525`,
  departmentName: '5·25 安全责任清单（模板）',
  legalBasis: '《特种设备使用单位落实使用安全主体责任监督管理规定》（市场监管总局令第74号）',
  method: '查阅资料、询问相关人员',
  items: SE525_DUTIES.map((d) => ({ code: d.code, name: `${role(d.level)}：${d.duty}`, key: d.level <= 2 })),
};
