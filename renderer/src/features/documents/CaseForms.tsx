/**
 * Forms of the case documents whose content mostly comes from the device: the evidence list (the
 * result's photos and scans with their hashes; typed: where, when, who signs), the proof of service
 * (which issued documents, how, to whom, or the refusal and the witness) and the food result record
 * (counts and result from the result; typed: licence number and handling).
 */
import { useEffect, useState } from 'react';
import { services } from '../../services/index.js';
import type {
  DirectiveDetails,
  EvidenceListDetails,
  PreservationDetails,
  FoodResultDetails,
  IssuedDocument,
  ServiceMethod,
  ServiceProofDetails,
} from '../../services/index.js';
import { CheckField, FieldGroup, TextField } from './Fields.js';

interface FormProps<T> {
  value: T;
  onChange: (v: T) => void;
}

function Refusal<T extends { refusalNote: string; witnessName: string; witnessIdNo: string }>({
  v,
  set,
}: {
  v: T;
  set: (patch: Partial<T>) => void;
}) {
  return (
    <>
      <TextField
        label="拒签（拒收）情况"
        value={v.refusalNote}
        onChange={(x) => set({ refusalNote: x } as Partial<T>)}
        required
      />
      <div className="field-row">
        <TextField
          label="见证人姓名"
          value={v.witnessName}
          onChange={(x) => set({ witnessName: x } as Partial<T>)}
          required
        />
        <TextField
          label="见证人身份证件号码"
          value={v.witnessIdNo}
          onChange={(x) => set({ witnessIdNo: x } as Partial<T>)}
        />
      </div>
    </>
  );
}

export function EvidenceListForm({ value: v, onChange }: FormProps<EvidenceListDetails>) {
  const set = (patch: Partial<EvidenceListDetails>) => onChange({ ...v, ...patch });
  return (
    <>
      <p className="hint">证据清单取自检查结果中的照片和扫描件，每项附采集时间和 SHA-256 校验值。</p>
      <TextField label="提取地点" value={v.place} onChange={(x) => set({ place: x })} required />
      <div className="field-row">
        <TextField label="提取日期" type="date" value={v.date} onChange={(x) => set({ date: x })} required />
        <TextField label="提取时间（时:分）" value={v.time} onChange={(x) => set({ time: x })} required />
      </div>
      <FieldGroup legend="当事人核对签名">
        <TextField label="当事人（签名人）" value={v.partyName} onChange={(x) => set({ partyName: x })} required />
        <CheckField label="当事人拒绝签名" checked={v.partyRefused} onChange={(on) => set({ partyRefused: on })} />
        {v.partyRefused ? <Refusal v={v} set={set} /> : null}
      </FieldGroup>
    </>
  );
}

const METHODS: readonly [ServiceMethod, string][] = [
  ['direct', '直接送达'],
  ['left', '留置送达'],
  ['mail', '邮寄送达'],
  ['electronic', '电子送达'],
  ['entrusted', '委托送达'],
];

export function ServiceProofForm({ taskId, value: v, onChange }: FormProps<ServiceProofDetails> & { taskId: string }) {
  const set = (patch: Partial<ServiceProofDetails>) => onChange({ ...v, ...patch });
  const [docs, setDocs] = useState<readonly IssuedDocument[]>([]);
  useEffect(() => {
    let alive = true;
    void services.documents.list(taskId).then((list) => {
      if (alive) setDocs(list.filter((d) => !d.voided && d.kind !== 'service'));
    });
    return () => {
      alive = false;
    };
  }, [taskId]);
  const toggle = (id: string, on: boolean) =>
    set({ docIds: on ? [...v.docIds, id] : v.docIds.filter((x) => x !== id) });
  return (
    <>
      <FieldGroup legend="送达的文书">
        {docs.map((d) => (
          <CheckField
            key={d.docId}
            label={`${d.title} ${d.docNo}`}
            checked={v.docIds.includes(d.docId)}
            onChange={(on) => toggle(d.docId, on)}
          />
        ))}
      </FieldGroup>
      <div className="field">
        <label htmlFor="svc-method">送达方式</label>
        <select
          id="svc-method"
          value={v.method}
          onChange={(e) => {
            const method = e.target.value as ServiceMethod;
            set({ method, refused: method === 'left' });
          }}
        >
          {METHODS.map(([m, label]) => (
            <option key={m} value={m}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <TextField label="送达地点" value={v.place} onChange={(x) => set({ place: x })} required />
      <div className="field-row">
        <TextField label="送达日期" type="date" value={v.date} onChange={(x) => set({ date: x })} required />
        <TextField label="送达时间（时:分）" value={v.time} onChange={(x) => set({ time: x })} required />
      </div>
      {v.refused ? (
        <Refusal v={v} set={set} />
      ) : (
        <div className="field-row">
          <TextField label="签收人" value={v.recipient} onChange={(x) => set({ recipient: x })} required />
          <TextField
            label="代收人与受送达人关系（本人签收不填）"
            value={v.relation}
            onChange={(x) => set({ relation: x })}
          />
        </div>
      )}
    </>
  );
}

export function FoodResultForm({ value: v, onChange }: FormProps<FoodResultDetails>) {
  const set = (patch: Partial<FoodResultDetails>) => onChange({ ...v, ...patch });
  return (
    <>
      <p className="hint">检查项数、发现问题项数和检查结果（符合／基本符合／不符合）按已定稿的检查结果自动填写。</p>
      <TextField label="食品经营许可证编号" value={v.licenceNo} onChange={(x) => set({ licenceNo: x })} />
      <TextField label="结果处理" multiline value={v.handling} onChange={(x) => set({ handling: x })} required />
    </>
  );
}

export function DirectiveForm({ value: v, onChange }: FormProps<DirectiveDetails>) {
  const set = (patch: Partial<DirectiveDetails>) => onChange({ ...v, ...patch });
  return (
    <>
      <TextField
        label="发现的问题（每行一项）"
        multiline
        value={v.problems}
        onChange={(x) => set({ problems: x })}
        required
      />
      <TextField
        label="涉及的设备（每行一台：设备名称｜注册代码｜使用地点）"
        multiline
        value={v.equipment}
        onChange={(x) => set({ equipment: x })}
      />
      <TextField
        label="指令事项（每行一项）"
        multiline
        value={v.measures}
        onChange={(x) => set({ measures: x })}
        required
      />
      <TextField label="整改期限" type="date" value={v.deadline} onChange={(x) => set({ deadline: x })} required />
      <CheckField label="隐患消除前停止使用有关设备" checked={v.stopUse} onChange={(on) => set({ stopUse: on })} />
      <FieldGroup legend="使用单位签收">
        <TextField label="使用单位负责人" value={v.partyName} onChange={(x) => set({ partyName: x })} required />
        <CheckField label="拒绝签名" checked={v.partyRefused} onChange={(on) => set({ partyRefused: on })} />
        {v.partyRefused ? <Refusal v={v} set={set} /> : null}
      </FieldGroup>
      <TextField label="救济途径" multiline value={v.remedies} onChange={(x) => set({ remedies: x })} />
    </>
  );
}

export function PreservationForm({ value: v, onChange }: FormProps<PreservationDetails>) {
  const set = (patch: Partial<PreservationDetails>) => onChange({ ...v, ...patch });
  return (
    <>
      <TextField
        label="先行登记保存的理由（涉嫌的违法行为）"
        multiline
        value={v.reason}
        onChange={(x) => set({ reason: x })}
        required
      />
      <TextField label="法律依据" value={v.legalBasis} onChange={(x) => set({ legalBasis: x })} required />
      <TextField
        label="物品清单（每行一项：名称｜规格型号｜数量｜备注）"
        multiline
        value={v.items}
        onChange={(x) => set({ items: x })}
        required
      />
      <div className="field-row">
        <TextField label="保存地点" value={v.keptAt} onChange={(x) => set({ keptAt: x })} required />
        <TextField label="保存人" value={v.keptBy} onChange={(x) => set({ keptBy: x })} required />
      </div>
      <div className="field-row">
        <TextField label="保存期限自" type="date" value={v.from} onChange={(x) => set({ from: x })} required />
        <TextField label="至" type="date" value={v.to} onChange={(x) => set({ to: x })} required hint="不超过七日" />
      </div>
      <TextField label="救济途径" multiline value={v.remedies} onChange={(x) => set({ remedies: x })} />
    </>
  );
}
