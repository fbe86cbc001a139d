import { createServer, type Server } from 'node:net';

/** A mail server that speaks just enough SMTP to accept messages and keep them. */
export function smtpSink(received: string[]): Server {
  return createServer((socket) => {
    socket.setEncoding('utf8');
    let data = false;
    let message = '';
    let line = '';
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk: string) => {
      if (data) {
        message += chunk;
        const end = message.indexOf('\r\n.\r\n');
        if (end >= 0) {
          received.push(message.slice(0, end));
          message = '';
          data = false;
          socket.write('250 queued\r\n');
        }
        return;
      }
      line += chunk;
      let cut: number;
      while ((cut = line.indexOf('\r\n')) >= 0) {
        const command = line.slice(0, cut).toUpperCase();
        line = line.slice(cut + 2);
        if (command.startsWith('EHLO') || command.startsWith('HELO')) socket.write('250 sink\r\n');
        else if (command.startsWith('DATA')) {
          data = true;
          socket.write('354 go ahead\r\n');
          return;
        } else if (command.startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
}
