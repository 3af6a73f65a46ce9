import { formatNumber } from '../../format';
import { durationText } from './trigger-description';
import type { AnsweringMachine, CampaignSettings } from './types';

interface AnsweringMachineChoice {
  value: AnsweringMachine | '';
  /** The wizard's option. */
  label: string;
  /** What it does, under the wizard's select. */
  effect: string;
  /** The saved choice in words (the review and the campaign page). */
  summary: string;
}

const NO_DETECTION: AnsweringMachineChoice = {
  value: '',
  label: 'Don’t detect (everyone hears the script)',
  effect: 'No detection: a machine hears the call’s script, as a person would',
  summary: 'Not detected: every answered call hears the script',
};

/** What a call answered by a machine can do, in the wizard's order; '' is no detection (the setting left out). */
export const ANSWERING_MACHINE_CHOICES: readonly AnsweringMachineChoice[] = [
  NO_DETECTION,
  {
    value: 'hang_up',
    label: 'Hang up',
    effect: 'A call answered by a machine ends at once: nothing is recorded',
    summary: 'Hang up at once when a machine answers',
  },
  {
    value: 'voicemail',
    label: 'Leave a voicemail',
    effect: 'After the beep, the machine records the voicemail script below',
    summary: 'Leave a voicemail after the beep',
  },
  {
    value: 'treat_as_answered',
    label: 'Play the script anyway',
    effect: 'A machine hears the call’s own script; the call still counts as voicemail',
    summary: 'Play the call’s script anyway (the call counts as voicemail)',
  },
];

export const answeringMachineChoice = (value: AnsweringMachine | '' | undefined): AnsweringMachineChoice =>
  ANSWERING_MACHINE_CHOICES.find((c) => c.value === (value ?? '')) ?? NO_DETECTION;

export interface CallSettingLine {
  key: 'maxConcurrentCalls' | 'callDelaySeconds' | 'retries' | 'answeringMachine' | 'voicemailScript';
  label: string;
  text: string;
}

/** A voice campaign's call settings in words, one line each, unset ones saying what applies instead. Pure, so the text is easy to check. */
export function describeCallSettings(s: CampaignSettings): CallSettingLine[] {
  const retries = s.retryCount ?? 0;
  const wait = s.retryDelaySeconds ?? 0;
  const lines: CallSettingLine[] = [
    {
      key: 'maxConcurrentCalls',
      label: 'Calls at once',
      text: s.maxConcurrentCalls !== undefined ? formatNumber(s.maxConcurrentCalls) : 'The number’s own limit',
    },
    {
      key: 'callDelaySeconds',
      label: 'Between call starts',
      text: s.callDelaySeconds !== undefined ? durationText(s.callDelaySeconds) : 'The number’s own setting',
    },
    {
      key: 'retries',
      label: 'Call again',
      text:
        retries > 0
          ? `Up to ${retries} more time${retries === 1 ? '' : 's'}, ${wait > 0 ? `${durationText(wait)} after` : 'right after'} a busy, unanswered or failed call`
          : 'No: one call per lead',
    },
    { key: 'answeringMachine', label: 'Answering machine', text: answeringMachineChoice(s.answeringMachine).summary },
  ];
  if (s.answeringMachine === 'voicemail' && s.voicemailScript)
    lines.push({ key: 'voicemailScript', label: 'Voicemail script', text: s.voicemailScript });
  return lines;
}
