/** Reads what the local SMTP sink received (infra/smtp-sink, HTTP API on :1080). */
export interface ReceivedMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  date: string;
}

export const SMTP_SINK_URL = 'http://127.0.0.1:1080';

export async function mailsTo(address: string): Promise<ReceivedMail[]> {
  const res = await fetch(`${SMTP_SINK_URL}/api/messages?to=${encodeURIComponent(address)}`);
  if (!res.ok) throw new Error(`SMTP sink answered ${res.status}`);
  return (await res.json()) as ReceivedMail[];
}
