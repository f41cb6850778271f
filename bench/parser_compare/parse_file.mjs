// eventsource-parser's half of the parser comparison (bench/compare_sse_parsers.sh): the same job
// and the same output as evsim_parse_file, so the two print comparable JSON lines.
//
//   node parse_file.mjs FILE [--chunk N] [--repeat R] [--warmup W] [--time-decode]
//
// What is timed, and why: a JavaScript SSE parser takes strings, so a real client first decodes each
// network read with a streaming TextDecoder. By default every N-byte chunk of the file is decoded that
// way once, before timing, so the chunk boundaries fall on the same bytes evsim sees and the timed
// region is parsing alone. evsim, by contrast, parses raw bytes and validates UTF-8 inside its timed
// region: the default comparison is tilted towards eventsource-parser by the cost of decoding.
// --time-decode decodes each chunk inside the timed region instead, right before feeding it, which is
// what a real client pays per byte (the JSON line then says "eventsource-parser+TextDecoder").
//
// Exit status: 0 on success, 2 on bad usage or an unreadable file.
import {readFileSync} from 'node:fs'
import process from 'node:process'
import {createParser} from 'eventsource-parser'

const EXIT_USAGE = 2

const USAGE = `usage: node parse_file.mjs FILE [--chunk N] [--repeat R] [--warmup W] [--time-decode]
  --chunk N       feed the parser N bytes at a time (default 65536)
  --repeat R      timed passes over FILE, each with a fresh parser (default 1)
  --warmup W      untimed passes before the timed ones, so V8 has optimised the parser (default 1)
  --time-decode   decode UTF-8 inside the timed region, chunk by chunk, as a real client does
`

function usageError(message) {
  process.stderr.write(`parse_file.mjs: ${message}\n${USAGE}`)
  process.exit(EXIT_USAGE)
}

// A whole decimal number >= min, with nothing around it.
function parseCount(option, text, min) {
  if (text === undefined) usageError(`${option} needs a value`)
  if (!/^[0-9]+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    usageError(`${option} needs a whole number >= ${min}, got '${text}'`)
  }
  return Number(text)
}

function parseArgs(argv) {
  if (argv.length === 0) usageError('missing FILE')
  if (argv[0].startsWith('--')) usageError(`expected FILE before options, got '${argv[0]}'`)
  const options = {file: argv[0], chunk: 65536, repeat: 1, warmup: 1, timeDecode: false}
  for (let i = 1; i < argv.length; i += 2) {
    switch (argv[i]) {
      case '--time-decode':
        options.timeDecode = true
        i -= 1 // a flag: no value to skip
        break
      case '--chunk':
        options.chunk = parseCount('--chunk', argv[i + 1], 1)
        break
      case '--repeat':
        options.repeat = parseCount('--repeat', argv[i + 1], 1)
        break
      case '--warmup':
        options.warmup = parseCount('--warmup', argv[i + 1], 0)
        break
      default:
        usageError(`unknown argument '${argv[i]}'`)
    }
  }
  return options
}

// Splits the file's bytes into `chunkSize`-byte pieces and decodes each as a streaming client would:
// a multi-byte character cut by a chunk boundary is completed in the next piece.
function decodeChunks(bytes, chunkSize) {
  const decoder = new TextDecoder('utf-8')
  const chunks = []
  for (let pos = 0; pos < bytes.length; pos += chunkSize) {
    const text = decoder.decode(bytes.subarray(pos, pos + chunkSize), {stream: true})
    if (text.length > 0) chunks.push(text)
  }
  const tail = decoder.decode()
  if (tail.length > 0) chunks.push(tail)
  return chunks
}

// One pass: a fresh parser over every pre-decoded chunk, as a new connection would see the stream.
// The incomplete event at the end (if any) is discarded, as evsim's end_of_stream() does.
function parseChunks(chunks) {
  let events = 0
  const parser = createParser({
    onEvent() {
      events++
    },
  })
  for (const chunk of chunks) parser.feed(chunk)
  parser.reset()
  return events
}

// The same pass, decoding each N-byte chunk just before feeding it (--time-decode).
function decodeAndParse(bytes, chunkSize) {
  let events = 0
  const parser = createParser({
    onEvent() {
      events++
    },
  })
  const decoder = new TextDecoder('utf-8')
  for (let pos = 0; pos < bytes.length; pos += chunkSize) {
    const text = decoder.decode(bytes.subarray(pos, pos + chunkSize), {stream: true})
    if (text.length > 0) parser.feed(text)
  }
  const tail = decoder.decode()
  if (tail.length > 0) parser.feed(tail)
  parser.reset()
  return events
}

function main() {
  const options = parseArgs(process.argv.slice(2))
  let bytes
  try {
    bytes = readFileSync(options.file)
  } catch (error) {
    process.stderr.write(`parse_file.mjs: cannot read '${options.file}': ${error.message}\n`)
    process.exit(EXIT_USAGE)
  }
  const chunks = options.timeDecode ? null : decodeChunks(bytes, options.chunk)
  const parseOnce = options.timeDecode ? () => decodeAndParse(bytes, options.chunk) : () => parseChunks(chunks)

  for (let i = 0; i < options.warmup; i++) parseOnce()

  let events = 0
  let elapsedNs = 0n
  for (let i = 0; i < options.repeat; i++) {
    const start = process.hrtime.bigint()
    events += parseOnce()
    elapsedNs += process.hrtime.bigint() - start
  }

  const seconds = Number(elapsedNs) / 1e9
  const totalBytes = bytes.length * options.repeat
  const eventsPerS = seconds > 0 ? events / seconds : 0
  const mbPerS = seconds > 0 ? totalBytes / seconds / 1e6 : 0 // MB = 10^6 bytes, as evsim_parse_file
  process.stdout.write(
    `{"impl":"${options.timeDecode ? 'eventsource-parser+TextDecoder' : 'eventsource-parser'}","events":${events},"bytes":${totalBytes},"seconds":${seconds.toFixed(6)},` +
      `"events_per_s":${Math.round(eventsPerS)},"mb_per_s":${mbPerS.toFixed(2)}}\n`,
  )
}

main()
