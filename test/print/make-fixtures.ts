/**
 * Writes test/fixtures/documents/*.json: realistic zh-CN inputs for the three documents, with a
 * valid USCC check character, a real content hash (SHA-256 of canonicalJson(result)) and a small
 * drawn signature PNG. Run once with `npx tsx test/print/make-fixtures.ts`; the JSON is committed.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { usccCheckChar } from '../../shared/domain/uscc.js';

const DIR = new URL('../fixtures/documents/', import.meta.url);
const write = (name: string, value: unknown): void =>
  writeFileSync(new URL(name, DIR), JSON.stringify(value, null, 2) + '\n');

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A grey-scale scribble standing in for a signature drawn on the pad. */
function signaturePng(seed: number): string {
  const w = 160,
    h = 48;
  const px = Buffer.alloc((w + 1) * h, 255);
  for (let y = 0; y < h; y++) px[y * (w + 1)] = 0;
  for (let x = 8; x < w - 8; x++) {
    const y = Math.round(h / 2 + 14 * Math.sin((x + seed * 7) / 9) * Math.cos(x / 23));
    for (let d = -1; d <= 1; d++) {
      const yy = Math.min(h - 1, Math.max(0, y + d));
      px[yy * (w + 1) + 1 + x] = 20;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey-scale
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(px)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

const body17 = '91330302MA2CJ4K7X';
const uscc = body17 + usccCheckChar(body17);

const item = (
  code: string,
  name: string,
  department: string,
  departmentName: string,
  legalBasis: string,
  method: string,
  key = false,
) => ({ code, name, department, departmentName, legalBasis, method, key });

const items = [
  item(
    'QG-01',
    '企业年度报告公示信息的检查',
    'SCJG',
    '市场监管',
    '《企业信息公示暂行条例》第八条',
    '书面检查、实地核查',
    true,
  ),
  item('QG-02', '企业即时公示信息的检查', 'SCJG', '市场监管', '《企业信息公示暂行条例》第十条', '书面检查'),
  item(
    'DJ-01',
    '登记事项（住所或经营场所）的检查',
    'SCJG',
    '市场监管',
    '《中华人民共和国市场主体登记管理条例》第二十四条',
    '实地核查',
    true,
  ),
  item(
    'CP-03',
    '工业产品生产许可证获证企业的检查',
    'SCJG',
    '市场监管',
    '《中华人民共和国工业产品生产许可证管理条例》第三十四条',
    '实地核查、书面检查',
    true,
  ),
  item('CP-05', '产品标识标注的检查', 'SCJG', '市场监管', '《中华人民共和国产品质量法》第二十七条', '实地核查'),
  item('JL-02', '计量器具使用情况的检查', 'SCJG', '市场监管', '《中华人民共和国计量法》第九条', '实地核查'),
  item(
    'TS-04',
    '特种设备（场（厂）内专用机动车辆）使用单位的检查',
    'SCJG',
    '市场监管',
    '《中华人民共和国特种设备安全法》第三十三条',
    '实地核查',
    true,
  ),
  item('GG-01', '广告发布行为的检查', 'SCJG', '市场监管', '《中华人民共和国广告法》第九条', '网络监测、实地核查'),
  item('WJ-02', '网络交易经营者亮照亮证情况的检查', 'SCJG', '市场监管', '《网络交易监督管理办法》第十二条', '网络监测'),
  item('SB-01', '商标使用行为的检查', 'SCJG', '市场监管', '《中华人民共和国商标法》第四十九条', '实地核查'),
  item('HT-01', '合同格式条款的检查', 'SCJG', '市场监管', '《合同行政监督管理办法》第六条', '书面检查'),
  item('XF-01', '消防安全管理情况的检查', 'XFJY', '消防救援', '《中华人民共和国消防法》第十六条', '实地核查'),
];

const team = [
  { inspectorId: 'insp-0301', name: '陈晓东', certNo: '33030211001', certExpiry: '2028-12-31', role: 'leader' },
  { inspectorId: 'insp-0323', name: '周雯', certNo: '33030211023', certExpiry: '2027-06-30', role: 'member' },
  { inspectorId: 'insp-0417', name: '郑犇', certNo: '33030221417', certExpiry: '2027-09-30', role: 'expert' },
];

const task = {
  id: 'task-2026-0312-0015',
  taskNo: 'SJRW-330302-2026-0015',
  version: 3,
  status: 'assigned',
  plan: {
    id: 'plan-330302-2026-003',
    code: 'SJJH-330302-2026-003',
    name: '2026年鹿城区市场监管领域部门联合“双随机、一公开”抽查计划（第一批）',
    year: 2026,
    targeted: false,
    leadDept: '温州市鹿城区市场监督管理局',
    crossDept: true,
    start: '2026-03-01',
    end: '2026-06-30',
  },
  enterprise: {
    uscc,
    name: '温州喆堃犇㙟五金机电有限公司',
    address: '浙江省温州市鹿城区㙟头街道堃源路88号喆园大厦3幢1201室',
  },
  items,
  team,
  dueDate: '2026-04-30',
  draw: {
    seed: '20260301-7f3a',
    algorithm: 'weighted-credit-v2',
    candidateHash: 'a'.repeat(64),
    drawnHash: 'b'.repeat(64),
  },
};

const party = {
  name: task.enterprise.name,
  uscc,
  address: task.enterprise.address,
  legalRep: '王喆',
  phone: '0577-88123456',
};
const authority = {
  name: '温州市鹿城区市场监督管理局',
  address: '浙江省温州市鹿城区飞霞南路688号',
  phone: '0577-88200315',
};

const outcome = (itemCode: string, note: string) => ({ itemCode, outcome: 'pass', note, finding: null });
const result = {
  resultId: 'res-01JQ7ZC4K2M8X5',
  taskId: task.id,
  enterpriseUscc: uscc,
  inspectedOn: '2026-03-12',
  startedAt: '2026-03-12T09:05:00+08:00',
  finishedAt: '2026-03-12T10:40:00+08:00',
  inspectorIds: ['insp-0301', 'insp-0323'],
  itemResults: [
    outcome('QG-01', '2025年度报告已于2026年2月14日报送公示，资产状况、从业人数与财务报表一致。'),
    {
      itemCode: 'QG-02',
      outcome: 'fail',
      note: '股东股权转让变更信息未在形成之日起20个工作日内公示。',
      finding: {
        description: '2025年11月股东股权转让信息未按规定在20个工作日内通过国家企业信用信息公示系统公示',
        legalBasis: '《企业信息公示暂行条例》第十条',
        severity: 'general',
        handling: 'rectify',
        rectifyDeadline: '2026-04-10',
        lenient: null,
      },
    },
    outcome('DJ-01', '实际经营场所与登记住所一致，门牌号及营业执照悬挂位置醒目。'),
    outcome('CP-03', '电线电缆生产许可证在有效期内（有效期至2028年5月），获证条件保持。'),
    {
      itemCode: 'CP-05',
      outcome: 'fail',
      note: '成品仓库抽看插座产品12批次，其中2批次外包装未标注生产厂厂址。',
      finding: {
        description: '库存“堃源牌”转换插座2批次外包装未标注生产厂厂址',
        legalBasis: '《中华人民共和国产品质量法》第二十七条第一款第（二）项',
        severity: 'general',
        handling: 'rectify',
        rectifyDeadline: '2026-03-27',
        lenient: { code: 'ZJ-MF-2023-014', applied: true, reason: '首次违法且危害后果轻微，及时改正' },
      },
    },
    {
      itemCode: 'JL-02',
      outcome: 'fail',
      note: '质检室1台电子天平检定证书已过期。',
      finding: {
        description: '质检室电子天平（出厂编号XS2019-0876）超过检定周期使用',
        legalBasis: '《中华人民共和国计量法》第九条',
        severity: 'general',
        handling: 'on_spot',
        rectifyDeadline: null,
        lenient: null,
      },
    },
    outcome('TS-04', '叉车2台均已办理使用登记，定期检验合格标志在有效期内，司机持证上岗。'),
    outcome('GG-01', '企业网站及宣传册未发现违法广告用语。'),
    outcome('WJ-02', '网店首页已公示营业执照信息，链接有效。'),
    outcome('SB-01', '“堃源”注册商标使用规范，未发现自行改变注册商标的情形。'),
    { itemCode: 'HT-01', outcome: 'na', note: '企业未使用格式合同。', finding: null },
    outcome('XF-01', '灭火器、应急照明配置到位，疏散通道畅通（消防救援部门现场确认）。'),
  ],
  findings: '企业对检查中发现的电子天平超期使用问题当场停用并送检；其余问题已责令限期改正。',
  resultCodes: ['CORRECTED'],
  checkMethods: ['ON_SITE', 'DOCUMENTS'],
  followUps: ['ORDER_CORRECTION'],
  replaces: null,
  publicationDeadline: '2026-04-10',
};
const contentHash = createHash('sha256').update(canonicalJson(result)).digest('hex');
const verification = { platformUrl: 'https://sjsj.scjgj.example.cn', resultId: result.resultId, contentHash };

write('common.json', { authority, task, party, result, verification });
write('notice.json', {
  docNo: '鹿市监检通〔2026〕0012号',
  issuedOn: '2026-03-09',
  inspectFrom: '2026-03-12',
  inspectTo: '2026-03-13',
  methods: ['ON_SITE', 'DOCUMENTS', 'ONLINE'],
  materials: [
    '营业执照副本原件',
    '工业产品生产许可证及获证产品清单',
    '近一年产品出厂检验记录和计量器具检定证书',
    '特种设备使用登记证和定期检验报告',
    '股东会决议及股权转让协议',
  ],
  contact: { name: '周雯', phone: '0577-88200315' },
  delivery: '直接送达',
});
const signed = (name: string, image: boolean, seed: number) => ({
  name,
  imageDataUrl: image ? signaturePng(seed) : null,
  signedAt: image ? '2026-03-12T10:42:00+08:00' : null,
});
const recordBase = {
  docNo: '鹿市监现笔〔2026〕0031号',
  issuedOn: '2026-03-12',
  place: '浙江省温州市鹿城区㙟头街道堃源路88号喆园大厦3幢1201室及一楼成品仓库',
  present: { name: '林堃', post: '生产副总经理', idNo: '330302198805121234', phone: '13857712345' },
  credentialShown: true,
  rightsExplained: true,
  recusal: { requested: false, answer: '没有利害关系，不申请回避。' },
  evidence: [
    { kind: 'photo', description: '经营场所外景、营业执照悬挂位置、成品仓库及插座外包装标识', count: 8 },
    { kind: 'copy', description: '营业执照副本、工业产品生产许可证复印件（加盖公章）', count: 2 },
    { kind: 'video', description: '出示执法证件及现场检查全过程执法记录仪视频', count: 1 },
  ],
  inspectorSignatures: [signed('陈晓东', true, 1), signed('周雯', true, 2)],
  recorder: '周雯',
};
write('record.json', { ...recordBase, partySignature: { kind: 'signed', signature: signed('林堃', true, 3) } });
write('record-refused.json', {
  ...recordBase,
  docNo: '鹿市监现笔〔2026〕0032号',
  partySignature: {
    kind: 'refused',
    note: '现场负责人林堃对检查结果有异议，拒绝在笔录上签名，已全程录音录像。',
    witness: { name: '黄犇', idNo: '330302197611023318', signature: signed('黄犇', false, 4) },
  },
});
write('rectification.json', {
  docNo: '鹿市监责改〔2026〕0007号',
  issuedOn: '2026-03-12',
  deadline: '2026-04-10',
  reportBack:
    '请你单位在改正期限届满前，将整改情况书面报告（附相关证明材料）送至本局信用监督管理科（温州市鹿城区飞霞南路688号），或通过浙江政务服务网提交；联系电话0577-88200315。',
  remedies:
    '如不服本通知，可在收到本通知书之日起六十日内向温州市鹿城区人民政府申请行政复议，或者在六个月内依法向温州市鹿城区人民法院提起行政诉讼。',
});
console.log('fixtures written, uscc', uscc, 'hash', contentHash);
