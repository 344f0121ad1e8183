'use strict';
// nodemailer's mailparser peer of bench/run.sh. For every file (arguments, or one path per line on
// standard input), sequentially: read it into a Buffer and call simpleParser(buffer) with default
// options, which parses the headers (RFC 2047, address lists), decodes every part's transfer
// encoding and charset, collects text and html bodies (and derives the missing one of the two,
// e.g. html-to-text), and buffers every attachment's decoded content. It then reads subject,
// from, to, text, html and every attachment's content type, filename and size.
const { simpleParser } = require('mailparser');
const { run, len } = require('./common');

run('mailparser', async (buffer) => {
    const mail = await simpleParser(buffer);
    let checksum = len(mail.subject) + len(mail.from && mail.from.text) + len(mail.to && mail.to.text);
    checksum += len(mail.text) + len(typeof mail.html === 'string' ? mail.html : '');
    const attachments = mail.attachments || [];
    for (const a of attachments) {
        checksum += len(a.contentType) + len(a.filename) + (a.size || 0);
    }
    return { parts: 1 + attachments.length, checksum };
});
