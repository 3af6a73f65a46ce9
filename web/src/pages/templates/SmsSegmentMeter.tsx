// The same GSM-7 / UCS-2 segment arithmetic the renderer reports for a sent SMS, imported from its source file: it has no
// dependency, so the page gets a few hundred bytes and never a second copy of the rules.
import { countSmsSegments } from '@cadence/render/src/sms-segments';

const PER_SEGMENT = { 'GSM-7': { single: 160, multi: 153 }, 'UCS-2': { single: 70, multi: 67 } } as const;

export interface SegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
  units: number;
}

export const smsSegments = (text: string): SegmentInfo => countSmsSegments(text);

/** Encoding, parts and how full the current part is, in words (never colour alone). */
export function SmsSegmentMeter({ info, label, testId }: { info: SegmentInfo; label: string; testId: string }) {
  const limits = PER_SEGMENT[info.encoding];
  const capacity = info.segments <= 1 ? limits.single : limits.multi * info.segments;
  const unit = info.encoding === 'GSM-7' ? 'septets' : 'UTF-16 units';
  return (
    <p className="sms-meter" data-testid={testId} data-encoding={info.encoding} data-segments={info.segments} aria-live="polite">
      <span className="sms-meter-label">{label}:</span>{' '}
      <span className={info.encoding === 'UCS-2' ? 'badge badge-warn' : 'badge badge-ok'}>{info.encoding}</span>{' '}
      <strong>
        {info.segments} {info.segments === 1 ? 'segment' : 'segments'}
      </strong>{' '}
      · {info.units}/{capacity} {unit} · {info.characters} characters
      {info.encoding === 'UCS-2' && (
        <span className="muted">
          {' '}
          · non-GSM characters: {limits.single} per single SMS, {limits.multi} per part
        </span>
      )}
    </p>
  );
}
