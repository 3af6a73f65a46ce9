import { toast } from 'sonner';
import { errorText } from './ErrorBanner';

/** Results of async actions (saved, launched, failed): announced politely, errors with the API's code. */
export const notify = {
  success: (text: string) => toast.success(text),
  info: (text: string) => toast(text),
  error: (error: unknown, prefix?: string) => toast.error(prefix ? `${prefix}: ${errorText(error)}` : errorText(error)),
};
