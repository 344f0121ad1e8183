'use strict';
// postal-mime peer of bench/run.sh. For every file (arguments, or one path per line on standard
// input), sequentially: read it into a Buffer and call PostalMime.parse(buffer) with default
// options, which parses the headers (RFC 2047, address lists), decodes every part's transfer
// encoding, converts text/plain and text/html bodies to strings and returns every attachment's
// decoded bytes as an ArrayBuffer. It then reads subject, from, to, text, html, every header and
// every attachment's mime type, filename and size.
const PostalMime = require('postal-mime');
const { run, len } = require('./common');

run('postal-mime', async (buffer) => {
    const mail = await PostalMime.parse(buffer);
    let checksum = len(mail.subject) + len(mail.from && mail.from.address);
    for (const to of mail.to || []) checksum += len(to.address);
    checksum += len(mail.text) + len(mail.html);
    for (const h of mail.headers || []) checksum += len(h.key) + len(h.value);
    const attachments = mail.attachments || [];
    for (const a of attachments) {
        checksum += len(a.mimeType) + len(a.filename) + (a.content ? a.content.byteLength : 0);
    }
    return { parts: 1 + attachments.length, checksum };
});
