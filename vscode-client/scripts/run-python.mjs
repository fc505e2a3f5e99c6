// Runs a Python script with the interpreter the build should use:
// $MINDPORT_PYTHON, else the active virtual environment's python, else python3 (python on Windows).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const windows = process.platform === 'win32';
const venv = process.env.VIRTUAL_ENV;
const python =
  process.env.MINDPORT_PYTHON ||
  (venv ? join(venv, windows ? 'Scripts' : 'bin', windows ? 'python.exe' : 'python') : windows ? 'python' : 'python3');
const result = spawnSync(python, process.argv.slice(2), { stdio: 'inherit' });
if (result.error) {
  console.error(`cannot run ${python}: ${result.error.message} (set MINDPORT_PYTHON to a Python >= 3.10)`);
  process.exit(2);
}
process.exit(result.status ?? 1);
