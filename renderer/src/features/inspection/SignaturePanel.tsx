/**
 * 签名: both inspectors (name and 执法证号 from the team), and the enterprise's representative
 * (name, post, ID number). When the party refuses, 拒绝签名 records the refusal and a witness, who
 * signs instead. Every typed field is a draft field (autosaved); a confirmed drawing is stored as
 * a PNG attachment and its id written into the draft at once.
 */
import { useEffect, useState } from 'react';
import { useWatch, type Control, type UseFormRegister, type UseFormSetValue } from 'react-hook-form';
import { services } from '../../services/index.js';
import type { Draft, DraftSignature } from '../../services/index.js';
import { SignatureCanvas } from './SignaturePad.js';
import { FieldProblem } from './problems.js';
import { useObjectUrl } from './useObjectUrl.js';

interface Props {
  readonly taskId: string;
  readonly resultId: string;
  readonly control: Control<Draft>;
  readonly register: UseFormRegister<Draft>;
  readonly setValue: UseFormSetValue<Draft>;
}

function StoredSignature({ blob, alt }: { blob: Blob | undefined; alt: string }) {
  const src = useObjectUrl(blob);
  return src ? <img className="sig-image" src={src} alt={alt} /> : <div className="sig-image" aria-label={alt} />;
}

function PartyFields({
  index,
  control,
  register,
}: {
  index: number;
  control: Control<Draft>;
  register: UseFormRegister<Draft>;
}) {
  const refused = useWatch({ control, name: `signatures.${index}.refused` });
  const id = (f: string): string => `sig-${index}-${f}`;
  return (
    <>
      <label className="check-inline">
        <input type="checkbox" {...register(`signatures.${index}.refused`)} /> 当事人拒绝签名
      </label>
      {refused ? (
        <div className="field-row">
          <div className="field grow">
            <label htmlFor={id('note')}>拒签情况</label>
            <input
              id={id('note')}
              {...register(`signatures.${index}.refusalNote`)}
              placeholder="如：当事人拒绝在笔录上签字"
            />
          </div>
          <div className="field">
            <label htmlFor={id('wname')}>见证人姓名</label>
            <input id={id('wname')} {...register(`signatures.${index}.witnessName`)} />
          </div>
          <div className="field">
            <label htmlFor={id('wid')}>见证人身份证号</label>
            <input id={id('wid')} {...register(`signatures.${index}.witnessIdNo`)} />
          </div>
        </div>
      ) : (
        <div className="field-row">
          <div className="field">
            <label htmlFor={id('name')}>当事人姓名</label>
            <input id={id('name')} {...register(`signatures.${index}.name`)} />
          </div>
          <div className="field">
            <label htmlFor={id('post')}>职务</label>
            <input id={id('post')} {...register(`signatures.${index}.post`)} />
          </div>
          <div className="field grow">
            <label htmlFor={id('idno')}>身份证件号码</label>
            <input id={id('idno')} {...register(`signatures.${index}.idNo`)} />
          </div>
        </div>
      )}
    </>
  );
}

function SlotCard({
  index,
  sig,
  taskId,
  control,
  register,
  setValue,
  blobs,
  onStored,
}: Props & {
  index: number;
  sig: DraftSignature;
  blobs: ReadonlyMap<string, Blob>;
  onStored: (id: string, blob: Blob) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  // 重新签名 keeps the stored signature until a new one is confirmed (the party may have left).
  const [redo, setRedo] = useState(false);
  const refused = useWatch({ control, name: `signatures.${index}.refused` });
  const title = sig.role === 'party' ? '当事人（企业代表）' : `检查人员：${sig.name}（执法证号 ${sig.certNo}）`;
  const who = sig.role === 'party' ? (refused ? '见证人' : '当事人') : sig.name;
  const onConfirm = async (png: Blob): Promise<void> => {
    setError(null);
    try {
      const file = await services.inspection.addEvidence(taskId, png, 'signature', `${sig.slot}.png`);
      onStored(file.id, file.blob);
      const old = sig.attachmentId;
      setValue(`signatures.${index}.attachmentId`, file.id, { shouldDirty: true });
      setValue(`signatures.${index}.signedAt`, file.capturedAt, { shouldDirty: true });
      setRedo(false);
      if (old) await services.inspection.removeEvidence(old, '重新签名，替换原签名').catch(() => undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="sig-card" role="group" aria-label={`${title}签名`} data-testid={`sig-${sig.slot}`}>
      <h3>{title}</h3>
      {sig.role === 'party' ? <PartyFields index={index} control={control} register={register} /> : null}
      {sig.attachmentId && !redo ? (
        <>
          <StoredSignature blob={blobs.get(sig.attachmentId)} alt={`${who}的签名`} />
          <p className="small">
            <span className="sig-done">已签名</span>{' '}
            <button type="button" className="btn btn-small" onClick={() => setRedo(true)}>
              重新签名
            </button>
          </p>
        </>
      ) : (
        <>
          <SignatureCanvas label={`${who}签名区`} onConfirm={onConfirm} />
          {redo ? (
            <p className="small muted">
              确认新签名后替换原签名。{' '}
              <button type="button" className="btn btn-small" onClick={() => setRedo(false)}>
                保留原签名
              </button>
            </p>
          ) : null}
        </>
      )}
      {error ? (
        <p className="field-error" role="alert">
          签名未保存：{error}
        </p>
      ) : null}
      <FieldProblem path={`signatures.${index}`} />
    </div>
  );
}

export function SignaturePanel(props: Props) {
  const signatures = useWatch({ control: props.control, name: 'signatures' });
  const [blobs, setBlobs] = useState<ReadonlyMap<string, Blob>>(new Map());
  const { resultId } = props;
  useEffect(() => {
    let live = true;
    void services.inspection.evidenceFor(resultId).then((files) => {
      if (live) setBlobs(new Map(files.filter((f) => f.kind === 'signature').map((f) => [f.id, f.blob])));
    });
    return () => {
      live = false;
    };
  }, [resultId]);
  const onStored = (id: string, blob: Blob): void => setBlobs((m) => new Map(m).set(id, blob));
  return (
    <section aria-labelledby="sig-title" className="card" data-testid="signature-panel">
      <h2 id="sig-title">签名</h2>
      <p className="small muted">
        用鼠标或触控笔在框内签名后点“确认签名”。当事人拒绝签名的，勾选“当事人拒绝签名”并由见证人签名。
      </p>
      <div className="sig-grid">
        {signatures.map((sig, i) => (
          <SlotCard key={sig.slot} {...props} index={i} sig={sig} blobs={blobs} onStored={onStored} />
        ))}
      </div>
    </section>
  );
}
