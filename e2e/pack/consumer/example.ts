// Compiled with tsc --strict (no skipLibCheck) and run by installable.e2e.test.ts in a fresh project
// outside the repository, against the packed tarballs: what a test suite elsewhere would write.
import { startSinkhole, type AcceptedTransaction } from '@sinkhole/sinkhole-server';
import { createTransport } from 'nodemailer';

const sinkhole = await startSinkhole({ mode: 'accept', hostname: 'sink.example' });
const transport = createTransport({ host: '127.0.0.1', port: sinkhole.address.port, secure: false, ignoreTLS: true });
await transport.sendMail({ from: 'app@example.test', to: 'user@sinkhole.test', subject: 'Welcome', text: 'hello' });
const received: AcceptedTransaction = await sinkhole.waitFor((t) => t.rcptTo.includes('user@sinkhole.test'), { timeout: 5_000 });
sinkhole.setMode('defer');
let deferred = '';
try {
  await transport.sendMail({ from: 'app@example.test', to: 'later@sinkhole.test', subject: 'Later', text: 'hello' });
} catch (error) {
  deferred = String((error as { response?: unknown }).response);
}
transport.close();
await sinkhole.close({ graceMs: 1_000 });
console.log(JSON.stringify({ mailFrom: received.mailFrom, rcptTo: received.rcptTo, size: received.size, deferred }));
