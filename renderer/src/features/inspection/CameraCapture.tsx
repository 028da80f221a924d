/**
 * Laptop camera (getUserMedia) when the device has one: a live preview and 拍照, which hands a
 * JPEG to the caller. Never required: without a camera (or permission) the button says so and
 * photos come from files instead.
 */
import { useEffect, useRef, useState } from 'react';

export function CameraCapture({ onCapture }: { onCapture: (blob: Blob) => Promise<void> }) {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const available = typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';

  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
    return () => stream?.getTracks().forEach((t) => t.stop());
  }, [stream]);

  const open = async (): Promise<void> => {
    setError(null);
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: true, audio: false }));
    } catch {
      setError('无法打开摄像头（没有摄像头或未允许使用），请改为从文件添加照片。');
    }
  };

  const shoot = async (): Promise<void> => {
    const v = video.current;
    if (!v || v.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')?.drawImage(v, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.88));
    if (blob) await onCapture(blob);
  };

  if (!available) return <span className="small muted">本机不支持摄像头拍照</span>;
  if (!stream) {
    return (
      <>
        <button type="button" className="btn" onClick={() => void open()}>
          用摄像头拍照
        </button>
        {error ? (
          <span className="field-error" role="alert">
            {error}
          </span>
        ) : null}
      </>
    );
  }
  return (
    <div className="camera-box">
      <video ref={video} autoPlay playsInline muted aria-label="摄像头画面" />
      <div className="evidence-actions">
        <button type="button" className="btn btn-primary" onClick={() => void shoot()}>
          拍照
        </button>
        <button type="button" className="btn" onClick={() => setStream(null)}>
          关闭摄像头
        </button>
      </div>
    </div>
  );
}
