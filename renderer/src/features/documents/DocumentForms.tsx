/**
 * The details a document needs beyond what is stored (time and method of the notice; who was
 * present, recusal, evidence and refusal for the record; deadline and report-back for the order),
 * prefilled from the task, the credit file, the result and the session.
 */
import { CHECK_METHODS, CHECK_METHOD_LABELS } from '../../../../shared/domain/results.js';
import type { NoticeDetails, RecordDetails, RecordEvidence, RectificationDetails } from '../../services/index.js';
import { CheckField, FieldGroup, TextField } from './Fields.js';

interface FormProps<T> {
  value: T;
  onChange: (v: T) => void;
}

export function NoticeForm({ value: v, onChange }: FormProps<NoticeDetails>) {
  const set = (patch: Partial<NoticeDetails>) => onChange({ ...v, ...patch });
  const toggle = (m: NoticeDetails['methods'][number], on: boolean) =>
    set({ methods: on ? [...v.methods, m] : v.methods.filter((x) => x !== m) });
  return (
    <>
      <FieldGroup legend="检查时间">
        <div className="field-row">
          <TextField
            label="开始日期"
            type="date"
            value={v.inspectFrom}
            onChange={(x) => set({ inspectFrom: x })}
            required
          />
          <TextField
            label="结束日期"
            type="date"
            value={v.inspectTo}
            onChange={(x) => set({ inspectTo: x })}
            required
          />
        </div>
      </FieldGroup>
      <FieldGroup legend="检查方式">
        <div className="check-grid">
          {CHECK_METHODS.map((m) => (
            <CheckField
              key={m}
              label={CHECK_METHOD_LABELS[m]}
              checked={v.methods.includes(m)}
              onChange={(on) => toggle(m, on)}
            />
          ))}
        </div>
      </FieldGroup>
      <TextField
        label="需要准备的资料（每行一项）"
        multiline
        value={v.materials.join('\n')}
        onChange={(x) => set({ materials: x.split('\n') })}
      />
      <div className="field-row">
        <TextField label="联系人" value={v.contactName} onChange={(x) => set({ contactName: x })} required />
        <TextField
          label="联系电话"
          type="tel"
          value={v.contactPhone}
          onChange={(x) => set({ contactPhone: x })}
          required
        />
        <TextField label="送达方式" value={v.delivery} onChange={(x) => set({ delivery: x })} required />
      </div>
    </>
  );
}

const EVIDENCE_KINDS: Readonly<Record<RecordEvidence['kind'], string>> = {
  photo: '现场照片',
  video: '现场视频',
  audio: '录音',
  copy: '复印件',
  sample: '样品',
  other: '其他材料',
};

function EvidenceRows({ rows, onChange }: { rows: RecordEvidence[]; onChange: (rows: RecordEvidence[]) => void }) {
  const update = (i: number, patch: Partial<RecordEvidence>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <FieldGroup legend="证据材料">
      {rows.map((r, i) => (
        <div className="field-row" key={i}>
          <div className="field">
            <label htmlFor={`ev-kind-${i}`}>类别</label>
            <select
              id={`ev-kind-${i}`}
              value={r.kind}
              onChange={(e) => update(i, { kind: e.target.value as RecordEvidence['kind'] })}
            >
              {Object.entries(EVIDENCE_KINDS).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <TextField label="说明" value={r.description} onChange={(x) => update(i, { description: x })} />
          <div className="field">
            <label htmlFor={`ev-count-${i}`}>数量</label>
            <input
              id={`ev-count-${i}`}
              type="number"
              min={1}
              value={r.count}
              onChange={(e) => update(i, { count: Math.max(1, Number(e.target.value) || 1) })}
            />
          </div>
          <button type="button" className="btn" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            删除
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn"
        onClick={() => onChange([...rows, { kind: 'photo', description: '', count: 1 }])}
      >
        添加证据
      </button>
    </FieldGroup>
  );
}

export function RecordForm({ value: v, onChange }: FormProps<RecordDetails>) {
  const set = (patch: Partial<RecordDetails>) => onChange({ ...v, ...patch });
  return (
    <>
      <TextField label="检查地点" value={v.place} onChange={(x) => set({ place: x })} required />
      <FieldGroup legend="当事人或现场负责人">
        <div className="field-row">
          <TextField label="姓名" value={v.presentName} onChange={(x) => set({ presentName: x })} required />
          <TextField label="职务" value={v.presentPost} onChange={(x) => set({ presentPost: x })} required />
        </div>
        <div className="field-row">
          <TextField label="身份证号" value={v.presentIdNo} onChange={(x) => set({ presentIdNo: x })} required />
          <TextField label="联系电话" type="tel" value={v.presentPhone} onChange={(x) => set({ presentPhone: x })} />
        </div>
      </FieldGroup>
      <FieldGroup legend="告知事项">
        <CheckField label="已出示执法证件" checked={v.credentialShown} onChange={(x) => set({ credentialShown: x })} />
        <CheckField
          label="已告知当事人权利和义务"
          checked={v.rightsExplained}
          onChange={(x) => set({ rightsExplained: x })}
        />
        <CheckField
          label="当事人申请回避"
          checked={v.recusalRequested}
          onChange={(x) => set({ recusalRequested: x })}
        />
        <TextField
          label="当事人对回避的答复"
          value={v.recusalAnswer}
          onChange={(x) => set({ recusalAnswer: x })}
          required
        />
      </FieldGroup>
      <EvidenceRows rows={v.evidence} onChange={(evidence) => set({ evidence })} />
      <FieldGroup legend="签名">
        <CheckField label="当事人拒绝签字" checked={v.partyRefused} onChange={(x) => set({ partyRefused: x })} />
        {v.partyRefused ? (
          <>
            <TextField
              label="拒绝签字的情况"
              multiline
              value={v.refusalNote}
              onChange={(x) => set({ refusalNote: x })}
              required
            />
            <div className="field-row">
              <TextField label="见证人姓名" value={v.witnessName} onChange={(x) => set({ witnessName: x })} required />
              <TextField
                label="见证人身份证号"
                value={v.witnessIdNo}
                onChange={(x) => set({ witnessIdNo: x })}
                required
              />
            </div>
          </>
        ) : null}
        <TextField label="记录人" value={v.recorder} onChange={(x) => set({ recorder: x })} required />
      </FieldGroup>
    </>
  );
}

export function RectificationForm({ value: v, onChange }: FormProps<RectificationDetails>) {
  const set = (patch: Partial<RectificationDetails>) => onChange({ ...v, ...patch });
  return (
    <>
      <TextField label="改正期限" type="date" value={v.deadline} onChange={(x) => set({ deadline: x })} required />
      <TextField
        label="整改情况报告方式"
        multiline
        value={v.reportBack}
        onChange={(x) => set({ reportBack: x })}
        required
      />
      <TextField label="救济途径" multiline value={v.remedies} onChange={(x) => set({ remedies: x })} />
    </>
  );
}
