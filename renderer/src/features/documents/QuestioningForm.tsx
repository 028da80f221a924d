/**
 * 询问笔录 typed on site: the person questioned, time and place, the answers to the rights notice
 * and the recusal question, then as many question/answer pairs as the questioning takes (added,
 * removed and reordered as it goes). Every input has a visible label; the pairs are numbered
 * for screen readers.
 */
import { useEffect } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import type { QuestioningDetails } from '../../services/index.js';
import { FieldGroup } from './Fields.js';

interface Props {
  value: QuestioningDetails;
  onChange: (v: QuestioningDetails) => void;
}

function Text({
  id,
  label,
  required,
  ...input
}: { id: string; label: string; required?: boolean } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input id={id} required={required} {...input} />
    </div>
  );
}

export function QuestioningForm({ value, onChange }: Props) {
  const { register, control, subscribe } = useForm<QuestioningDetails>({ defaultValues: value });
  const qa = useFieldArray({ control, name: 'qa' });
  const refused = useWatch({ control, name: 'personRefused' });

  useEffect(
    () =>
      subscribe({
        formState: { values: true },
        callback: ({ values }) => onChange(values),
      }),
    [subscribe, onChange],
  );

  return (
    <>
      <FieldGroup legend="被询问人">
        <div className="field-row">
          <Text id="qn-name" label="姓名" required {...register('personName')} />
          <div className="field">
            <label htmlFor="qn-sex">性别</label>
            <select id="qn-sex" {...register('personSex')}>
              <option value="男">男</option>
              <option value="女">女</option>
            </select>
          </div>
          <Text id="qn-age" label="年龄（周岁）" inputMode="numeric" required {...register('personAge')} />
        </div>
        <div className="field-row">
          <Text id="qn-idno" label="身份证件号码" required {...register('personIdNo')} />
          <Text id="qn-phone" label="联系电话" type="tel" {...register('personPhone')} />
        </div>
        <Text id="qn-post" label="工作单位及职务" required {...register('personPost')} />
        <Text id="qn-address" label="住址" {...register('personAddress')} />
      </FieldGroup>
      <FieldGroup legend="询问时间和地点">
        <div className="field-row">
          <Text id="qn-date" label="日期" type="date" required {...register('date')} />
          <Text id="qn-start" label="开始时间" type="time" required {...register('startTime')} />
          <Text id="qn-end" label="结束时间" type="time" required {...register('endTime')} />
        </div>
        <Text id="qn-place" label="询问地点" required {...register('place')} />
        <Text id="qn-recorder" label="记录人" required {...register('recorder')} />
      </FieldGroup>
      <FieldGroup legend="告知和回避">
        <Text id="qn-rights" label="对权利义务告知的回答" required {...register('rightsAnswer')} />
        <label className="check">
          <input type="checkbox" {...register('recusalRequested')} /> 申请回避
        </label>
        <Text id="qn-recusal" label="对回避询问的回答" required {...register('recusalAnswer')} />
      </FieldGroup>
      <FieldGroup legend="询问内容（一问一答）">
        <ol className="qa-list">
          {qa.fields.map((f, i) => (
            <li key={f.id} className="qa-pair" aria-label={`第${i + 1}问`}>
              <div className="field">
                <label htmlFor={`qn-q-${i}`}>问（{i + 1}）</label>
                <textarea id={`qn-q-${i}`} rows={2} {...register(`qa.${i}.q`)} />
              </div>
              <div className="field">
                <label htmlFor={`qn-a-${i}`}>答（{i + 1}）</label>
                <textarea id={`qn-a-${i}`} rows={3} {...register(`qa.${i}.a`)} />
              </div>
              <div className="toolbar">
                <button type="button" className="btn" disabled={i === 0} onClick={() => qa.move(i, i - 1)}>
                  上移
                </button>
                <button type="button" className="btn" onClick={() => qa.remove(i)} aria-label={`删除第${i + 1}问`}>
                  删除
                </button>
              </div>
            </li>
          ))}
        </ol>
        <button type="button" className="btn" onClick={() => qa.append({ q: '', a: '' })}>
          添加一问一答
        </button>
      </FieldGroup>
      <FieldGroup legend="核对和签名">
        <Text id="qn-confirm" label="被询问人核对意见" required {...register('confirmation')} />
        <label className="check">
          <input type="checkbox" {...register('personRefused')} /> 被询问人拒绝签名
        </label>
        {refused ? (
          <>
            <Text id="qn-refusal" label="拒签情况" required {...register('refusalNote')} />
            <div className="field-row">
              <Text id="qn-witness" label="见证人姓名" required {...register('witnessName')} />
              <Text id="qn-witness-id" label="见证人身份证件号码" required {...register('witnessIdNo')} />
            </div>
          </>
        ) : null}
        <p className="hint">打印后由被询问人、询问人在每页签名；更正处由被询问人按指印。</p>
      </FieldGroup>
    </>
  );
}
