import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A message as an in-process SMTP server received it: the SMTP envelope and the parsed message. */
export interface ReceivedMail {
  envelopeFrom: string | null;
  envelopeTo: string[];
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  stop(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1:`port`, without TLS or authentication, that keeps every message
 * it accepts. Plain SMTP on loopback, as a relay on the same host would be.
 */
export async function startSmtpServer(port: number): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const from = session.envelope.mailFrom;
          received.push({
            envelopeFrom: from ? from.address : null,
            envelopeTo: session.envelope.rcptTo.map((address) => address.address),
            parsed,
          });
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The addresses of a parsed header (To, From), as plain strings. */
export function addressesOf(header: ParsedMail["to"] | ParsedMail["from"]): string[] {
  if (!header) return [];
  const objects = Array.isArray(header) ? header : [header];
  return objects.flatMap((object) => object.value.map((address) => address.address ?? ""));
}
