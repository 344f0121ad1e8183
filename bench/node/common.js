'use strict';
// Shared by the Node.js peers of bench/run.sh: the file list (arguments, or one path per line on
// standard input when there are none or the only one is "-") and the summary line.
const fs = require('fs');

function paths() {
    const args = process.argv.slice(2);
    if (args.length === 0 || (args.length === 1 && args[0] === '-')) {
        return fs
            .readFileSync(0, 'utf8')
            .split(/\r?\n/)
            .filter((line) => line.length > 0);
    }
    return args;
}

function len(value) {
    return typeof value === 'string' ? value.length : 0;
}

// Runs `parseOne(buffer) -> Promise<{parts, checksum}>` over every file, one after the other.
async function run(name, parseOne) {
    let messages = 0;
    let parts = 0;
    let failed = 0;
    let bytes = 0;
    let checksum = 0;
    for (const path of paths()) {
        try {
            const buffer = fs.readFileSync(path);
            bytes += buffer.length;
            const r = await parseOne(buffer);
            parts += r.parts;
            checksum += r.checksum;
            messages++;
        } catch (err) {
            failed++;
            process.stderr.write(`${name}: ${path}: ${err && err.message}\n`);
        }
    }
    process.stdout.write(
        `messages=${messages} parts=${parts} failed=${failed} bytes=${bytes} checksum=${checksum}\n`
    );
}

module.exports = { run, len };
