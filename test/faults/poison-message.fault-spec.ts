import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelope, deadLetterTopic, DLT_HEADERS, TOPICS } from '@microshop/events';
import {
  endOffsets,
  holdsFor,
  mailsTo,
  newUser,
  produce,
  readMessages,
  waitFor,
} from '@microshop/testing';
import { ROOT } from '../../scripts/platform';
import { mailCounts } from './support';

const VALID = 100;

const registeredEvent = (email: string, userId: string) =>
  createEnvelope(
    TOPICS.USER_REGISTERED,
    { userId, email, name: 'Poison Test', registeredAt: new Date().toISOString() },
    { producer: 'user-service' },
  );

describe('one malformed message followed by 100 valid ones on the same partition', () => {
  it('processes the 100, parks the bad one with its error, and replays it once after a fix', async () => {
    const key = `poison-${Date.now()}`;
    const dlt = deadLetterTopic(TOPICS.USER_REGISTERED);
    const dltSince = await endOffsets(dlt);

    const fixedEmail = newUser().email;
    const bad = registeredEvent(fixedEmail, key);
    const malformed = { ...bad, payload: { ...bad.payload, email: 'not-an-email' } };
    const valid = Array.from({ length: VALID }, (_, i) =>
      registeredEvent(newUser().email, `${key}-${i}`),
    );
    // One key, so all 101 land on one partition, the malformed one first.
    await produce(TOPICS.USER_REGISTERED, [
      { key, value: JSON.stringify(malformed) },
      ...valid.map((e) => ({ key, value: JSON.stringify(e) })),
    ]);

    const validEmails = valid.map((e) => e.payload.email);
    await waitFor(
      () => mailCounts(validEmails),
      (c) => c.every((n) => n === 1),
      {
        what: `${VALID} mails behind the malformed message`,
        timeoutMs: 120_000,
      },
    );

    const [parked] = await readMessages(dlt, {
      since: dltSince,
      until: (m) => m.some((x) => x.key === key),
    }).then((m) => m.filter((x) => x.key === key));
    console.log(`dead-lettered: ${parked.headers[DLT_HEADERS.error]}`);
    expect(parked.headers[DLT_HEADERS.error]).toMatch(/payload\.email/);
    expect(parked.headers[DLT_HEADERS.sourceTopic]).toBe(TOPICS.USER_REGISTERED);
    expect(parked.headers[DLT_HEADERS.sourcePartition]).toMatch(/^\d+$/);
    expect(parked.headers[DLT_HEADERS.sourceOffset]).toMatch(/^\d+$/);
    expect(JSON.parse(parked.value ?? '{}')).toEqual(malformed);

    // The fix: the operator corrects the message and replays it, twice by mistake.
    const fixedFile = join(tmpdir(), `${key}.json`);
    writeFileSync(fixedFile, JSON.stringify(bad));
    const replay = () =>
      execFileSync(
        'npm',
        [
          'run',
          '--silent',
          'dlt:replay',
          '--',
          TOPICS.USER_REGISTERED,
          '--only',
          `${parked.partition}:${parked.offset}`,
          '--value-file',
          fixedFile,
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
    expect(replay()).toContain('Replayed 1 message(s)');
    expect(replay()).toContain('Replayed 1 message(s)');

    await waitFor(
      () => mailsTo(fixedEmail),
      (m) => m.length === 1,
      { what: 'the replayed mail' },
    );
    await holdsFor(
      () => mailsTo(fixedEmail),
      (m) => m.length === 1,
      { what: 'exactly one replayed mail' },
    );
  });
});
