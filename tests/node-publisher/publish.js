#!/usr/bin/env node
// Publishes one task to a ReuseQueue environment over plain AMQP 0-9-1 and
// prints the worker's result. It uses only amqplib, which shows that a
// service without the .NET client SDK can run tasks.
//
// Wire format: the task goes to the default exchange with routing key
// reuse.<env>, as a JSON body {task, executionId, input}. The worker sends the
// result to the reply_to address with the same correlation_id. This program
// receives it through RabbitMQ direct reply-to (amq.rabbitmq.reply-to), so it
// declares no reply queue.
'use strict';

const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const amqp = require('amqplib');

const USAGE = `Usage: node publish.js --url URL --env ENV --task TASK --input JSON [--timeout-ms MS]

Publishes one task to the durable queue reuse.ENV and waits for its result.

  --url URL         AMQP URL of the broker, e.g. amqp://guest:guest@127.0.0.1:5672/
  --env ENV         task environment name; the task goes to queue reuse.ENV
  --task TASK       name of the task (handler) to run
  --input JSON      task input, any JSON value, e.g. '{"n": 3}'
  --timeout-ms MS   max time for connecting and waiting for the result,
                    in milliseconds (default 30000)
  --help            print this help

Prints the result message body as one line of JSON on stdout.
Exit codes: 0 the task succeeded, 1 the task failed (or the result has
another status), 2 timeout, connection or broker error, or an invalid result.
After a timeout the task stays queued. A worker that runs it later sends the
result to a reply address that no longer exists, so the result is dropped.`;

// The rule of ReuseQueue.Contracts.EnvironmentName: an RFC 1123 DNS label,
// because the name is also used in Redis keys and container labels.
const ENVIRONMENT_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const REPLY_TO = 'amq.rabbitmq.reply-to';
const TASK_MESSAGE_TYPE = 'reuseq.task';
const DEFAULT_TIMEOUT_MS = 30000;

const EXIT_SUCCEEDED = 0;
const EXIT_FAILED = 1;
const EXIT_ERROR = 2;

// Errors that end the program with EXIT_ERROR and a message on stderr.
class PublishError extends Error {}

function parseCommandLine(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        env: { type: 'string' },
        task: { type: 'string' },
        input: { type: 'string' },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new PublishError(`${error.message}\n\n${USAGE}`);
  }

  if (values.help) {
    return null;
  }

  for (const name of ['url', 'env', 'task', 'input']) {
    if (values[name] === undefined) {
      throw new PublishError(`missing required option --${name}\n\n${USAGE}`);
    }
  }

  if (!ENVIRONMENT_NAME_PATTERN.test(values.env)) {
    throw new PublishError(
      `invalid --env '${values.env}': use 1 to 63 lowercase letters, digits or '-', ` +
        'starting and ending with a letter or digit',
    );
  }
  if (values.task.trim() === '') {
    throw new PublishError('invalid --task: the task name must not be empty');
  }

  let input;
  try {
    input = JSON.parse(values.input);
  } catch (error) {
    throw new PublishError(`invalid --input: not valid JSON (${error.message})`);
  }

  const timeoutText = values['timeout-ms'] ?? String(DEFAULT_TIMEOUT_MS);
  const timeoutMs = Number(timeoutText);
  if (!/^[0-9]+$/.test(timeoutText) || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new PublishError(`invalid --timeout-ms '${timeoutText}': use a positive whole number of milliseconds`);
  }

  let parsedUrl;
  try {
    parsedUrl = new URL(values.url);
  } catch {
    throw new PublishError(`invalid --url: '${redactUrl(values.url)}' is not a URL`);
  }
  if (parsedUrl.protocol !== 'amqp:' && parsedUrl.protocol !== 'amqps:') {
    throw new PublishError(`invalid --url: expected an amqp:// or amqps:// URL, got ${redactUrl(values.url)}`);
  }

  return { url: values.url, environment: values.env, task: values.task, input, timeoutMs };
}

// Returns the URL with its password replaced by ****, for messages.
function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      parsed.password = '****';
    }
    return parsed.toString();
  } catch {
    // An unparsable URL may still contain a password after "user:".
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:****@');
  }
}

// Starts a timer whose promise rejects with a timeout PublishError after ms
// milliseconds. cancel() stops the timer.
function startDeadline(ms, describeWait) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new PublishError(`timed out after ${ms} ms ${describeWait()}`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

// Publishes the task and resolves with the parsed result body.
async function runTask(connection, options, executionId) {
  const queue = `reuse.${options.environment}`;
  const channel = await connection.createConfirmChannel();

  // The broker closes the channel on errors such as PRECONDITION_FAILED, and
  // an 'error' event without a listener would crash the process.
  let rejectChannel;
  const channelFailed = new Promise((_, reject) => {
    rejectChannel = reject;
  });
  channel.on('error', (error) => rejectChannel(new PublishError(`channel error on queue ${queue}: ${error.message}`)));

  // Every declarer of the task queue must use these same properties
  // (durable, no arguments), because RabbitMQ rejects a redeclaration whose
  // properties differ with PRECONDITION_FAILED.
  await Promise.race([channel.assertQueue(queue, { durable: true }), channelFailed]);

  // Direct reply-to requires the consumer to exist, with noAck, on the same
  // channel before the message that names amq.rabbitmq.reply-to is published.
  let resolveReply;
  let rejectReply;
  const reply = new Promise((resolve, reject) => {
    resolveReply = resolve;
    rejectReply = reject;
  });
  await channel.consume(
    REPLY_TO,
    (message) => {
      if (message === null) {
        rejectReply(new PublishError(`the broker cancelled the ${REPLY_TO} consumer before the result arrived`));
        return;
      }
      if (message.properties.correlationId !== executionId) {
        console.error(
          `publish.js: ignored a reply with correlation id ${message.properties.correlationId}; ` +
            `expected ${executionId}`,
        );
        return;
      }
      const text = message.content.toString('utf8');
      try {
        resolveReply(JSON.parse(text));
      } catch (error) {
        const preview = text.length > 200 ? `${text.slice(0, 200)}...` : text;
        rejectReply(new PublishError(`invalid result for execution ${executionId}: not JSON (${error.message}): ${preview}`));
      }
    },
    { noAck: true },
  );

  const body = Buffer.from(JSON.stringify({ task: options.task, executionId, input: options.input }), 'utf8');
  channel.publish('', queue, body, {
    contentType: 'application/json',
    persistent: true,
    replyTo: REPLY_TO,
    correlationId: executionId,
    type: TASK_MESSAGE_TYPE,
  });
  try {
    await channel.waitForConfirms();
  } catch (error) {
    throw new PublishError(`the broker did not confirm the task message on queue ${queue}: ${error.message}`);
  }

  return Promise.race([reply, channelFailed]);
}

async function main() {
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`publish.js: ${error.message}`);
    return EXIT_ERROR;
  }
  if (options === null) {
    console.log(USAGE);
    return EXIT_SUCCEEDED;
  }

  const safeUrl = redactUrl(options.url);
  const queue = `reuse.${options.environment}`;
  const executionId = crypto.randomUUID();
  let connected = false;
  const deadline = startDeadline(options.timeoutMs, () =>
    connected
      ? `waiting for the result of execution ${executionId} on queue ${queue} at ${safeUrl}. ` +
        `Check that a worker consumes ${queue} (rabbitmqctl list_queues name messages consumers) ` +
        'and that it replies to reply_to with the correlation_id.'
      : `connecting to ${safeUrl}. Check that RabbitMQ is running (infra/services.sh status) ` +
        'and that the URL names the right host and port.',
  );

  let connection;
  try {
    const connecting = amqp.connect(options.url, { timeout: options.timeoutMs });
    try {
      connection = await Promise.race([connecting, deadline.promise]);
    } catch (error) {
      if (error instanceof PublishError) {
        // The deadline passed first, so close the connection if it opens later.
        connecting.then((late) => late.close().catch(() => {}), () => {});
        throw error;
      }
      throw new PublishError(
        `could not connect to ${safeUrl}: ${error.message}. Check that RabbitMQ is running ` +
          '(infra/services.sh status), and the URL\'s host, port, vhost and credentials ' +
          '(the guest user may only log in from loopback).',
      );
    }
    connected = true;

    // An 'error' event without a listener would crash the process. The
    // promise below turns a lost connection into an error with the URL.
    const connectionLost = new Promise((_, reject) => {
      connection.on('error', (error) => reject(new PublishError(`connection to ${safeUrl} failed: ${error.message}`)));
      connection.on('close', () => reject(new PublishError(`connection to ${safeUrl} closed before the result arrived`)));
    });

    const result = await Promise.race([runTask(connection, options, executionId), deadline.promise, connectionLost]);
    console.log(JSON.stringify(result));
    return result !== null && typeof result === 'object' && result.status === 'succeeded' ? EXIT_SUCCEEDED : EXIT_FAILED;
  } catch (error) {
    // Other errors come from amqplib calls (for example a failed
    // createConfirmChannel) and also end with EXIT_ERROR.
    const detail = error instanceof PublishError ? error.message : `broker error at ${safeUrl}: ${error.message}`;
    console.error(`publish.js: ${detail}`);
    return EXIT_ERROR;
  } finally {
    deadline.cancel();
    if (connection !== undefined) {
      connection.removeAllListeners('close');
      try {
        await connection.close();
      } catch {
        // The connection is already closed or broken, and the outcome is decided.
      }
    }
  }
}

// process.exit also ends a connection attempt that is still pending after a
// timeout. Writes to stdout and stderr are synchronous for files and pipes on
// Linux, so the result line is not lost.
main().then((code) => process.exit(code));
