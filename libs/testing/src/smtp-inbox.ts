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
  const res = await fetchRetrying(
    `${SMTP_SINK_URL}/api/messages?to=${encodeURIComponent(address)}`,
  );
  if (!res.ok) throw new Error(`SMTP sink answered ${res.status}`);
  return (await res.json()) as ReceivedMail[];
}

/**
 * A kept-alive socket the sink closes just as it is reused fails the request ("other side
 * closed"); such a read is simply made again, on a fresh connection.
 */
async function fetchRetrying(url: string, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url);
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}
