import { readFileSync } from 'node:fs';
import { AsyncAPIDocumentInterface, DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ALL_TOPICS, TOPIC_CONSUMERS, TOPIC_PRODUCERS, deadLetterTopic } from '@microshop/events';
import { ASYNCAPI_FILE, renderAsyncApi } from './asyncapi/document';

// Spectral's diagnostics carry another copy of @stoplight/types' enum than the parser exports.
const ERROR = Number(DiagnosticSeverity.Error);

/** Where two texts first differ, as a line number and both lines. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a[at])}, generated ${JSON.stringify(b[at])}`;
}

/** The services an operation of `channel` names in its tags, for one action. */
const services = (document: AsyncAPIDocumentInterface, channel: string, send: boolean) => {
  const operations = document.channels().get(channel)?.operations();
  const chosen = (send ? operations?.filterBySend() : operations?.filterByReceive()) ?? [];
  return chosen
    .flatMap((o) =>
      o
        .tags()
        .all()
        .map((t) => t.name()),
    )
    .sort();
};

describe('docs/asyncapi.yaml', () => {
  const committed = readFileSync(ASYNCAPI_FILE, 'utf8');
  let parsed: Awaited<ReturnType<Parser['parse']>>;
  const document = (): AsyncAPIDocumentInterface => {
    if (!parsed.document) throw new Error('docs/asyncapi.yaml does not parse');
    return parsed.document;
  };

  beforeAll(async () => {
    parsed = await new Parser().parse(committed);
  });

  it('is what `npm run asyncapi` generates from libs/events', () => {
    const generated = renderAsyncApi();
    if (committed !== generated) {
      throw new Error(
        `docs/asyncapi.yaml is not what the contracts in libs/events give (${firstDifference(committed, generated)}): run \`npm run asyncapi\` and commit it`,
      );
    }
  });

  it('parses as AsyncAPI 3.0.0 with no error (@asyncapi/parser)', () => {
    const errors = parsed.diagnostics
      .filter((d) => Number(d.severity) === ERROR)
      .map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document().version()).toBe('3.0.0');
  });

  it('has every topic as a channel, with its producer, its consumers and its dead-letter topic', () => {
    const doc = document();
    for (const topic of ALL_TOPICS) {
      expect([topic, doc.channels().get(topic)?.address()]).toEqual([topic, topic]);
      expect([topic, services(doc, topic, true)]).toEqual([topic, [TOPIC_PRODUCERS[topic]]]);
      expect([topic, services(doc, topic, false)]).toEqual([
        topic,
        [...TOPIC_CONSUMERS[topic]].sort(),
      ]);
      const dlt = deadLetterTopic(topic);
      expect([dlt, services(doc, dlt, true)]).toEqual([dlt, [...TOPIC_CONSUMERS[topic]].sort()]);
    }
    expect(doc.channels().all().length).toBe(ALL_TOPICS.length * 2);
  });

  it("has examples that the message schemas accept, and schemas that reject a payload's missing fields", () => {
    // strict off: the parser marks each schema with x-parser-* keywords.
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    const messages = document()
      .messages()
      .all()
      .filter((m) => m.examples().length);
    expect(messages.map((m) => m.name()).sort()).toEqual([...ALL_TOPICS].sort());
    for (const message of messages) {
      const validate = ajv.compile(message.payload()!.json());
      for (const example of message.examples().all()) {
        const envelope = example.payload() as { payload: object };
        expect([message.name(), validate(envelope), validate.errors ?? []]).toEqual([
          message.name(),
          true,
          [],
        ]);
        expect([message.name(), validate({ ...envelope, payload: {} })]).toEqual([
          message.name(),
          false,
        ]);
      }
    }
  });
});
