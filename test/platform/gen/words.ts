/**
 * Word lists for synthetic Weihai demo data. All values are fictitious;
 * region codes are real GB/T 2260 codes.
 */

export interface Region {
  readonly code: string;
  readonly name: string;
  /** Prefix used in enterprise names: 威海市环翠区 for a district, 荣成市 for a county-level city. */
  readonly namePrefix: string;
  readonly authority: string;
  readonly abbr: string;
  readonly streets: readonly string[];
}

export const WEIHAI_REGIONS: readonly Region[] = [
  {
    code: '371002', name: '环翠区', namePrefix: '威海市环翠区', authority: '威海市环翠区市场监督管理局', abbr: '威环',
    streets: ['统一路', '新威路', '世昌大道', '青岛北路', '文化西路', '海滨北路', '昆明路', '戚谷疃路'],
  },
  {
    code: '371003', name: '文登区', namePrefix: '威海市文登区', authority: '威海市文登区市场监督管理局', abbr: '威文',
    streets: ['米山路', '峰山路', '龙山路', '昆嵛路', '文昌路', '天福路'],
  },
  {
    code: '371082', name: '荣成市', namePrefix: '荣成市', authority: '荣成市市场监督管理局', abbr: '荣',
    streets: ['成山大道', '府新路', '黄海路', '石岛大道', '观海路', '青山路'],
  },
  {
    code: '371083', name: '乳山市', namePrefix: '乳山市', authority: '乳山市市场监督管理局', abbr: '乳',
    streets: ['胜利街', '商业街', '青山路', '府前路', '乳山口路', '海阳路'],
  },
];

/** 2-character 字号 so that fragment search (海润, 鑫源…) is meaningful. */
export const TRADE_NAMES: readonly string[] = [
  '海润', '鑫源', '华通', '泰和', '金海', '瑞丰', '宏达', '东升', '蓝海', '明珠', '恒信', '永安',
  '福瑞', '盛世', '嘉禾', '银滩', '成山', '海之', '鲁东', '润泽', '天成', '兴隆', '佳美', '华洋',
  '远航', '海悦', '德润', '昌盛', '利群', '丰源', '凯达', '卓越', '万福', '顺通', '宝丰', '晨光',
  '金帆', '海韵', '山海', '新华', '聚鑫', '鼎盛', '安泰', '瑞祥', '海星', '鸿运', '正和', '康达',
  '荣华', '长青', '信达', '汇丰', '俊海', '海丰', '锦程', '百川', '同舟', '乐家', '富源', '光明',
  '祥瑞', '华盛', '金鼎', '和美', '浩瀚', '启航', '石岛', '赤山', '圣水', '昆嵛', '龙山', '米山',
];

export interface IndustryDef {
  readonly code: string;
  readonly section: string;
  readonly word: string;
  readonly shopWord: string;
  readonly scope: string;
  readonly food: 'producer' | 'business' | null;
  readonly weight: number;
}

export const INDUSTRIES: readonly IndustryDef[] = [
  { code: 'C1361', section: 'C 制造业', word: '食品', shopWord: '食品', scope: '食品生产；食品销售；水产品加工', food: 'producer', weight: 5 },
  { code: 'C1363', section: 'C 制造业', word: '水产', shopWord: '海产品', scope: '水产品加工；冷冻水产品生产；食品销售', food: 'producer', weight: 3 },
  { code: 'C3484', section: 'C 制造业', word: '机械', shopWord: '五金', scope: '通用设备制造；机械零部件加工', food: null, weight: 6 },
  { code: 'F5127', section: 'F 批发和零售业', word: '商贸', shopWord: '百货', scope: '日用百货销售；预包装食品销售；五金产品零售', food: 'business', weight: 18 },
  { code: 'F5221', section: 'F 批发和零售业', word: '超市', shopWord: '超市', scope: '食品经营；日用品销售；烟草制品零售', food: 'business', weight: 8 },
  { code: 'H6210', section: 'H 住宿和餐饮业', word: '餐饮管理', shopWord: '饭店', scope: '餐饮服务；食品经营（销售散装食品）', food: 'business', weight: 12 },
  { code: 'H6110', section: 'H 住宿和餐饮业', word: '酒店管理', shopWord: '宾馆', scope: '住宿服务；餐饮服务；会议及展览服务', food: 'business', weight: 4 },
  { code: 'I6513', section: 'I 信息传输、软件和信息技术服务业', word: '网络科技', shopWord: '电脑', scope: '软件开发；信息技术咨询服务；网络技术服务', food: null, weight: 9 },
  { code: 'L7212', section: 'L 租赁和商务服务业', word: '商务咨询', shopWord: '咨询', scope: '企业管理咨询；市场营销策划；会议服务', food: null, weight: 10 },
  { code: 'E4710', section: 'E 建筑业', word: '建筑工程', shopWord: '装饰', scope: '房屋建筑工程施工；建筑装饰工程', food: null, weight: 7 },
  { code: 'G5430', section: 'G 交通运输、仓储和邮政业', word: '物流', shopWord: '快递', scope: '普通货物道路运输；仓储服务；装卸搬运', food: null, weight: 6 },
  { code: 'A0411', section: 'A 农、林、牧、渔业', word: '海洋渔业', shopWord: '渔具', scope: '海水养殖；水产品收购；渔业捕捞', food: null, weight: 4 },
  { code: 'Q8411', section: 'Q 卫生和社会工作', word: '医疗', shopWord: '诊所', scope: '医疗服务；健康咨询', food: null, weight: 2 },
  { code: 'R9011', section: 'R 文化、体育和娱乐业', word: '文化传媒', shopWord: '文具', scope: '文化艺术交流；广告设计；体育场馆经营', food: null, weight: 3 },
];

export const SURNAMES: readonly string[] = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '于', '丛', '林', '毕', '宋', '姜', '曲', '谷'];
export const GIVEN_NAMES: readonly string[] = [
  '伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '海波',
  '建国', '春梅', '志刚', '晓东', '丽华', '红霞', '国庆', '文博', '子涵', '浩然', '雪梅', '德胜', '玉兰',
];

export const ABNORMAL_REASONS: readonly string[] = [
  '未按照《企业信息公示暂行条例》规定的期限公示年度报告',
  '未在市场监督管理部门依照《企业信息公示暂行条例》责令的期限内公示有关企业信息',
  '公示企业信息隐瞒真实情况、弄虚作假',
  '通过登记的住所或者经营场所无法联系',
];

export const VIOLATION_TYPES: readonly string[] = [
  '经营超过保质期的食品', '未按规定公示年度报告', '虚假广告', '未取得许可从事食品经营', '特种设备未按规定定期检验', '价格违法行为', '销售不合格产品',
];

export const SE_TYPES: readonly string[] = ['电梯', '锅炉', '压力容器', '气瓶', '压力管道', '起重机械', '场（厂）内专用机动车辆'];
