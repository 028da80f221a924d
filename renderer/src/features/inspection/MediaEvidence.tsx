/**
 * Body-camera video and audio in 现场证据: import from a folder or a USB device (streamed: hashed,
 * sealed and stored chunk by chunk, with progress), play back, and mark the clips that matter
 * (from–to in seconds and a note). The file itself always stays whole; the marks go into the record.
 */
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../ui/format.js';
import { clipText, mediaTimeText } from '../../../../shared/domain/media-clips.js';
import { services } from '../../services/index.js';
import type { EvidenceFile, StoredClipMark } from '../../services/index.js';
import { currentLocation } from './geolocation.js';

const ACCEPT = 'video/*,audio/*,.mp4,.mov,.m4v,.m4a,.mp3,.wav,.aac';
const MEDIA_NAME = /\.(mp4|mov|m4v|m4a|mp3|wav|aac)$/i;

/** A body camera's or USB stick's folder holds index files and thumbnails too: only recordings are taken. */
function recordingsIn(list: readonly File[]): File[] {
  return list
    .filter((f) => f.type.startsWith('video/') || f.type.startsWith('audio/') || MEDIA_NAME.test(f.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function percent(done: number, total: number): number {
  return total > 0 ? Math.floor((done / total) * 100) : 0;
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The import button with its progress; one file at a time (each may be several GB). */
export function MediaImport({ taskId, onStored }: { taskId: string; onStored: (f: EvidenceFile) => void }) {
  const [progress, setProgress] = useState<{ name: string; done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (list: readonly File[]): Promise<void> => {
    setError(null);
    if (list.length === 0) {
      setError('所选文件夹中没有录像或录音文件（mp4、mov、m4a、mp3、wav）');
      return;
    }
    const location = await currentLocation();
    for (const f of list) {
      setProgress({ name: f.name, done: 0, total: f.size });
      try {
        const out = await services.inspection.importMedia(taskId, f, f.name, f.lastModified, location, (p) =>
          setProgress({ name: f.name, done: p.bytesDone, total: p.bytesTotal }),
        );
        if (!out.ok) {
          setError(`${f.name}：${out.error.message}`);
          break;
        }
        onStored(out.file);
      } catch (e) {
        setError(`${f.name}：${e instanceof Error ? e.message : String(e)}`);
        break;
      }
    }
    setProgress(null);
  };

  return (
    <>
      <label className="btn" htmlFor="evidence-media">
        导入录像/录音
      </label>
      <input
        id="evidence-media"
        className="visually-hidden"
        type="file"
        accept={ACCEPT}
        multiple
        aria-label="导入录像/录音"
        disabled={progress !== null}
        onChange={(e) => {
          void run([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      <label className="btn" htmlFor="evidence-media-folder">
        从文件夹导入（执法记录仪/U 盘）
      </label>
      <input
        id="evidence-media-folder"
        className="visually-hidden"
        type="file"
        // Chromium's folder picker: every file under the chosen folder, as Files read from disk.
        {...{ webkitdirectory: '' }}
        aria-label="从文件夹导入录像/录音"
        disabled={progress !== null}
        onChange={(e) => {
          void run(recordingsIn([...(e.target.files ?? [])]));
          e.target.value = '';
        }}
      />
      {progress ? (
        <span role="status" data-testid="media-import-progress">
          正在导入 {progress.name}：{mb(progress.done)} / {mb(progress.total)}（{percent(progress.done, progress.total)}
          %）
          <progress max={100} value={percent(progress.done, progress.total)} aria-label="导入进度" />
        </span>
      ) : null}
      {error ? (
        <p className="alert alert-danger" role="alert">
          录像/录音未保存：{error}
        </p>
      ) : null}
    </>
  );
}

/** A recording's length and time, its player, and its clip marks. */
export function MediaDetails({ file, label, resultId }: { file: EvidenceFile; label: string; resultId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const [clips, setClips] = useState<readonly StoredClipMark[]>(file.clips ?? []);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  if (!file.media) return null;

  const play = async (): Promise<void> => {
    setOpening(true);
    try {
      setUrl(URL.createObjectURL(await services.inspection.openMedia(file.id)));
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setOpening(false);
    }
  };

  const refresh = async (): Promise<void> => {
    const all = await services.inspection.evidenceFor(resultId);
    setClips(all.find((f) => f.id === file.id)?.clips ?? []);
  };

  const mark = async (): Promise<void> => {
    const out = await services.inspection.markClip(file.id, {
      fromS: from.trim() === '' ? Number.NaN : Number(from),
      toS: to.trim() === '' ? Number.NaN : Number(to),
      note,
    });
    if (!out.ok) {
      setProblem(out.error.message);
      return;
    }
    setProblem(null);
    setFrom('');
    setTo('');
    setNote('');
    await refresh();
  };

  const Player = file.kind === 'audio' ? 'audio' : 'video';
  return (
    <div className="media-details" data-testid="media-details">
      <span className="small" data-testid="media-time">
        {mediaTimeText(file.media)}
      </span>
      <span className="small mono" data-testid="media-sha256">
        SHA-256 {file.sha256}
      </span>
      {file.reclaimedAt ? (
        <span className="small muted">
          原件已在平台确认保存后从本机清理（{formatDateTime(file.reclaimedAt)}），不能在本机播放
        </span>
      ) : url ? (
        <Player className="media-player" src={url} controls aria-label={`播放${label}`} data-testid="media-player" />
      ) : (
        <button type="button" className="btn btn-small" disabled={opening} onClick={() => void play()}>
          {opening ? '正在打开…' : `播放${label}`}
        </button>
      )}
      <fieldset className="media-clips">
        <legend className="small">标记片段（文件保持完整，片段记入检查记录）</legend>
        {clips.length > 0 ? (
          <ul aria-label={`${label}的片段`}>
            {clips.map((c) => (
              <li key={c.id} className="small">
                {clipText(c)}{' '}
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => void services.inspection.removeClip(c.id).then(refresh)}
                >
                  删除片段
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <label className="small">
          开始（秒）
          <input
            inputMode="decimal"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            aria-label="片段开始（秒）"
          />
        </label>
        <label className="small">
          结束（秒）
          <input inputMode="decimal" value={to} onChange={(e) => setTo(e.target.value)} aria-label="片段结束（秒）" />
        </label>
        <label className="small">
          说明
          <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} aria-label="片段说明" />
        </label>
        <button type="button" className="btn btn-small" onClick={() => void mark()}>
          标记片段
        </button>
        {problem ? (
          <span className="small field-error" role="alert">
            {problem}
          </span>
        ) : null}
      </fieldset>
    </div>
  );
}
