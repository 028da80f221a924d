/**
 * The demo station's inspectors: 执法证号 prefixed by the region code, cert
 * expiry (a few expiring soon, one expired and therefore not drawable), domains, expert flag.
 * Every demo inspector's password is DEMO_PASSWORD.
 */
import { createHash, scryptSync } from 'node:crypto';
import { addDays } from '../../../shared/domain/dates.js';
import type { Inspector } from '../../../shared/protocol/index.js';
import type { Db } from '../db.js';
import type { Rng } from './prng.js';

export const DEMO_PASSWORD = 'demo1234';
const NAMES = [
  '张伟',
  '李娜',
  '王磊',
  '刘洋',
  '陈静',
  '杨帆',
  '赵强',
  '丛海波',
  '于晓东',
  '林春梅',
  '毕志刚',
  '宋丽华',
];
const DOMAINS = ['登记', '公示', '食品生产', '食品经营', '特种设备', '广告', '价格', '计量', '产品质量', '知识产权'];

export function hashPassword(password: string, salt: string): string {
  return scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 }).toString('hex');
}

const STATION = '威海市环翠区市场监督管理局鲸园市场监管所';

/** A station's stable id, derived from its name so data directories made before ids existed agree. */
export function stationIdFor(stationName: string): string {
  return `st-${createHash('sha256').update(stationName, 'utf8').digest('hex').slice(0, 16)}`;
}

/** Gives inspectors stored by an earlier simulator (no stationId) their station's id. */
export function backfillStationIds(db: Db): void {
  const rows = db.prepare("SELECT id, json FROM inspectors WHERE json_extract(json, '$.stationId') IS NULL").all() as {
    id: string;
    json: string;
  }[];
  const update = db.prepare('UPDATE inspectors SET json = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) {
      const ins = JSON.parse(r.json) as { station: string };
      update.run(JSON.stringify({ ...ins, stationId: stationIdFor(ins.station) }), r.id);
    }
  })();
}

export function makeInspectors(rng: Rng, today: string): Inspector[] {
  return NAMES.map((name, i) => {
    const expiry =
      i === NAMES.length - 1
        ? addDays(today, -20)
        : i >= NAMES.length - 3
          ? addDays(today, rng.int(15, 80))
          : addDays(today, rng.int(400, 1400));
    const domains = [DOMAINS[i % 2]!, ...DOMAINS.filter((_, j) => j > 1 && rng.chance(0.35))];
    return {
      id: `insp-${String(i + 1).padStart(3, '0')}`,
      name,
      certNo: `371002${String(1_000_001 + i * 137 + rng.int(0, 99)).padStart(7, '0')}`,
      certExpiry: expiry,
      unit: '威海市环翠区市场监督管理局',
      station: STATION,
      stationId: stationIdFor(STATION),
      region: '371002',
      domains,
      expert: i === 5 || i === 8,
    };
  });
}
