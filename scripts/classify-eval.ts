// npm run classify:eval -- --train TRAIN.csv --test TEST.csv
// Trains the hotline's text classifier on TRAIN and scores it on TEST (CSV, UTF-8, header row with
// `text` and `label`; other columns ignored). Prints the per-label table, the confusion matrix and
// the calibration, and on its last line one JSON object: accuracy, macroF1, n, trainSeconds, msPerText.
import { parseArgs } from 'node:util';
import { DomainError, formatMessage } from '../src/shared/errors.js';
import { evaluateFiles, formatReport } from '../src/modules/classify/evaluation.js';

const USAGE = 'usage: npm run classify:eval -- --train TRAIN.csv --test TEST.csv\n' +
  '  each CSV: UTF-8, a header row with the columns text,label (others ignored)';

let values: { train?: string; test?: string; help?: boolean };
try {
  values = parseArgs({ options: { train: { type: 'string' }, test: { type: 'string' }, help: { type: 'boolean' } } }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.train || !values.test) {
  console.error(`错误：需要 --train 和 --test 两个文件 / error: both --train and --test are needed\n${USAGE}`);
  process.exit(2);
}
try {
  console.log(formatReport(evaluateFiles(values.train, values.test)));
} catch (error) {
  if (error instanceof DomainError) {
    console.error(`错误 ${error.code}：${formatMessage(error.code, error.params, 'zh')}\nerror ${error.code}: ${formatMessage(error.code, error.params, 'en')}`);
    process.exit(2);
  }
  throw error;
}
